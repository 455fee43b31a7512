// Offline rewrites of convolution blocks that keep a model's outputs (to float
// rounding) but let ONNX Runtime run them on its fast NCHWc kernels.
// Measured on fr_liveness.onnx (a MiniFASNet: 33 PRelu, depthwise convs of 103,
// 13, 231, 52, 26, 77 and 308 channels), one thread: 6.1 ms of CPU a face as
// shipped, 2.6 ms rewritten (README "Liveness", bench/face-engine.bench.ts).
// Why it was slow:
// - ORT has no NCHWc PRelu (its fused activations are Relu, Clip, LeakyRelu, ...
//   with one slope), so each of the 33 PRelu runs as a broadcast element-wise op
//   in plain NCHW, with the tensor reordered out of and back into NCHWc around it.
// - ORT's NCHWc transformer takes a depthwise conv only when its channel count is
//   a multiple of the SIMD block (16 floats with AVX-512, 8 with AVX2); the
//   others run on the generic grouped-conv path, again with reorders around them.
import {
  attributeInt,
  dimsOf,
  floatsOf,
  setFloats,
  type Graph,
  type Node,
  type Tensor,
} from './onnx-proto-types.js';

/** Channel multiple that suits both AVX-512 (16) and AVX2 (8) NCHWc blocks. */
export const NCHWC_BLOCK = 16;

interface GraphIndex {
  inits: Map<string, Tensor>;
  producer: Map<string, Node>;
  consumers: Map<string, Node[]>;
  /** How many node inputs name each initializer (a shared one is never rewritten in place). */
  uses: Map<string, number>;
}

function indexGraph(g: Graph): GraphIndex {
  const inits = new Map(g.initializer.map((t) => [t.name, t]));
  const producer = new Map<string, Node>();
  const consumers = new Map<string, Node[]>();
  const uses = new Map<string, number>();
  for (const n of g.node) {
    for (const o of n.output) {
      producer.set(o, n);
    }
    for (const i of n.input) {
      if (i === '') {
        continue;
      }
      consumers.set(i, [...(consumers.get(i) ?? []), n]);
      uses.set(i, (uses.get(i) ?? 0) + 1);
    }
  }
  return { inits, producer, consumers, uses };
}

const graphOutputs = (g: Graph): Set<string> => new Set(g.output.map((o) => o.name));

/** The one node reading `name`, unless it is read by several or is a graph output. */
function soleConsumer(ix: GraphIndex, outputs: Set<string>, name: string): Node | undefined {
  const c = ix.consumers.get(name);
  return c?.length === 1 && !outputs.has(name) ? c[0] : undefined;
}

/** An initializer read by this node only (so it can be changed in place). */
function ownInit(ix: GraphIndex, name: string | undefined): Tensor | undefined {
  if (name === undefined || name === '') {
    return undefined;
  }
  const t = ix.inits.get(name);
  return t && ix.uses.get(name) === 1 ? t : undefined;
}

const isPointwiseConv = (n: Node): boolean => n.opType === 'Conv' && attributeInt(n, 'group', 1) === 1;

/** Relu, or PRelu with its own slope tensor: maps 0 to 0 channel by channel. */
function isChannelActivation(ix: GraphIndex, n: Node): boolean {
  return n.opType === 'Relu' || (n.opType === 'PRelu' && ownInit(ix, n.input[1]) !== undefined);
}

/** Zero-pads dim `axis` (0 or 1) of a float tensor to `size`. */
function padAxis(t: Tensor, axis: 0 | 1, size: number): void {
  const dims = dimsOf(t);
  const v = floatsOf(t);
  const outer = axis === 0 ? 1 : dims[0]!;
  const inner = dims.slice(axis + 1).reduce((a, b) => a * b, 1);
  const from = dims[axis]!;
  const out = new Float32Array(outer * size * inner);
  for (let o = 0; o < outer; o++) {
    out.set(v.subarray(o * from * inner, (o + 1) * from * inner), o * size * inner);
  }
  dims[axis] = size;
  setFloats(t, dims, out);
}

/**
 * Pads the channels of each depthwise conv (and of the pointwise convs on either
 * side) to a multiple of `block`. Pattern: Conv(group 1) -> [Relu|PRelu]* ->
 * Conv(depthwise, C channels) -> [Relu|PRelu]* -> Conv(group 1). The added
 * channels have zero weights and biases (and slopes): they stay exactly 0 through
 * the block, and the last conv gives them zero input weights, so the output is
 * unchanged. Blocks that do not match exactly are left alone. Returns how many
 * depthwise convs were padded.
 */
export function padDepthwiseChannels(g: Graph, block = NCHWC_BLOCK): number {
  const ix = indexGraph(g);
  const outputs = graphOutputs(g);
  let padded = 0;
  for (const dw of g.node) {
    const w = dw.opType === 'Conv' ? ownInit(ix, dw.input[1]) : undefined;
    if (!w) {
      continue;
    }
    const wd = dimsOf(w);
    const c = wd[0]!;
    if (wd[1] !== 1 || attributeInt(dw, 'group', 1) !== c || c % block === 0) {
      continue;
    }
    // Back to the pointwise conv that makes the C channels.
    const before: Node[] = [];
    let prev = ix.producer.get(dw.input[0]!);
    while (prev && isChannelActivation(ix, prev) && soleConsumer(ix, outputs, prev.output[0]!)) {
      before.push(prev);
      prev = ix.producer.get(prev.input[0]!);
    }
    // Forward to the pointwise conv that reads them.
    const after: Node[] = [];
    let next = soleConsumer(ix, outputs, dw.output[0]!);
    while (next && isChannelActivation(ix, next)) {
      after.push(next);
      next = soleConsumer(ix, outputs, next.output[0]!);
    }
    if (!prev || !next || !isPointwiseConv(prev) || !isPointwiseConv(next) || !soleConsumer(ix, outputs, prev.output[0]!)) {
      continue;
    }
    const head = ownInit(ix, prev.input[1]);
    const tail = ownInit(ix, next.input[1]);
    const biases = [prev.input[2], dw.input[2]].filter((b) => b !== undefined && b !== '');
    const slopes = [...before, ...after].filter((n) => n.opType === 'PRelu').map((n) => ownInit(ix, n.input[1])!);
    if (!head || !tail || dimsOf(head)[0] !== c || dimsOf(tail)[1] !== c || biases.some((b) => !ownInit(ix, b))) {
      continue;
    }
    if (slopes.some((s) => floatsOf(s).length !== 1 && dimsOf(s)[0] !== c)) {
      continue;
    }
    const size = Math.ceil(c / block) * block;
    padAxis(head, 0, size);
    padAxis(w, 0, size);
    for (const b of biases) {
      padAxis(ix.inits.get(b!)!, 0, size);
    }
    for (const s of slopes) {
      if (floatsOf(s).length !== 1) {
        padAxis(s, 0, size);
      }
    }
    padAxis(tail, 1, size);
    const group = dw.attribute.find((a) => a.name === 'group')!;
    group.i = size;
    padded++;
  }
  if (padded > 0) {
    g.valueInfo = []; // intermediate shapes changed
  }
  return padded;
}

/**
 * Replaces each Conv -> PRelu (slopes s <= 1 per output channel) by two convs
 * ORT fuses into its NCHWc kernels, using PRelu(z) = s*z + relu((1-s)*z):
 * Conv(W*(1-s), b*(1-s)) -> Relu, and Conv(W*s, b*s) + that (an Add ORT folds
 * into the second conv). Twice the conv's arithmetic, but no element-wise pass
 * and no layout reorders. Returns how many PRelu were replaced.
 */
export function splitPreluAfterConv(g: Graph): number {
  const ix = indexGraph(g);
  const outputs = graphOutputs(g);
  const replaced = new Map<Node, Node[]>();
  const dropped = new Set<Node>();
  const added: Tensor[] = [];
  for (const p of g.node) {
    if (p.opType !== 'PRelu') {
      continue;
    }
    const conv = ix.producer.get(p.input[0]!);
    const slopeT = ix.inits.get(p.input[1] ?? '');
    const w = conv && conv.opType === 'Conv' && soleConsumer(ix, outputs, p.input[0]!) === p ? ix.inits.get(conv.input[1] ?? '') : undefined;
    if (!conv || !w || !slopeT) {
      continue;
    }
    const wd = dimsOf(w);
    const c = wd[0]!;
    const slopes = floatsOf(slopeT);
    const biasName = conv.input[2];
    const bias = biasName ? ix.inits.get(biasName) : undefined;
    if ((biasName && !bias) || (slopes.length !== 1 && slopes.length !== c) || slopes.some((s) => !(s <= 1))) {
      continue;
    }
    const weights = floatsOf(w);
    const b = bias ? floatsOf(bias) : new Float32Array(c);
    const per = weights.length / c;
    const linW = new Float32Array(weights.length);
    const reluW = new Float32Array(weights.length);
    const linB = new Float32Array(c);
    const reluB = new Float32Array(c);
    for (let o = 0; o < c; o++) {
      const s = slopes.length === 1 ? slopes[0]! : slopes[o]!;
      for (let i = o * per; i < (o + 1) * per; i++) {
        linW[i] = weights[i]! * s;
        reluW[i] = weights[i]! * (1 - s);
      }
      linB[o] = b[o]! * s;
      reluB[o] = b[o]! * (1 - s);
    }
    const y = p.output[0]!;
    const name = (part: string): string => `${y}__prelu_${part}`;
    const tensor = (part: string, dims: number[], values: Float32Array): string => {
      const t: Tensor = { name: name(part), dataType: 0, dims: [] };
      setFloats(t, dims, values);
      added.push(t);
      return t.name;
    };
    const x = conv.input[0]!;
    const reluConv: Node = { ...conv, name: name('relu_conv'), input: [x, tensor('relu_w', wd, reluW), tensor('relu_b', [c], reluB)], output: [name('relu_in')] };
    const relu: Node = { opType: 'Relu', name: name('relu'), input: [name('relu_in')], output: [name('relu_out')], attribute: [] };
    const linConv: Node = { ...conv, name: name('linear_conv'), input: [x, tensor('linear_w', wd, linW), tensor('linear_b', [c], linB)], output: [name('linear')] };
    const add: Node = { opType: 'Add', name: name('add'), input: [name('linear'), name('relu_out')], output: [y], attribute: [] };
    replaced.set(p, [reluConv, relu, linConv, add]);
    dropped.add(conv);
  }
  if (replaced.size === 0) {
    return 0;
  }
  // The new nodes take the PRelu's place: the conv's input is made before the conv, hence before it.
  g.node = g.node.filter((n) => !dropped.has(n)).flatMap((n) => replaced.get(n) ?? [n]);
  const read = new Set(g.node.flatMap((n) => n.input));
  g.initializer = [...g.initializer.filter((t) => read.has(t.name)), ...added];
  g.valueInfo = [];
  return replaced.size;
}
