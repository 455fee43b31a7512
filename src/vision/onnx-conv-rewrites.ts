// Offline rewrites of convolution blocks that keep a model's outputs (to float
// rounding) but let ONNX Runtime run them on its fast NCHWc kernels.
// Measured on fr_liveness.onnx (a MiniFASNet: 33 PRelu, depthwise convs of 103,
// 13, 231, 52, 26, 77 and 308 channels), one thread: ~6 ms of CPU a face as
// shipped, ~2 ms rewritten (README "Liveness", bench/face-engine.bench.ts);
// the same graph with plain Relu instead of PRelu (wrong outputs, a floor) ~1.8.
// Tried and dropped: PRelu as two full convs, s*z + relu((1-s)*z), fused by ORT
// (2.6 ms: it doubles the pointwise convs' arithmetic).
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

const INT = 2; // AttributeProto.INT
const INTS = 7; // AttributeProto.INTS

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
 * Replaces each PRelu after a 2-D conv (slopes s per channel) by ops ORT keeps in
 * its NCHWc layout, using PRelu(z) = z + (1-s) * relu(-z) (true for any s):
 * a 1x1 depthwise conv by -1 with Relu fused, a 1x1 depthwise conv by (1-s),
 * and an Add of z that ORT folds into that conv. Two cheap per-channel passes
 * instead of a broadcast element-wise op between layout reorders. Returns how
 * many PRelu were replaced.
 */
export function preluAsDepthwise(g: Graph): number {
  const ix = indexGraph(g);
  const replaced = new Map<Node, Node[]>();
  const added: Tensor[] = [];
  for (const p of g.node) {
    const conv = p.opType === 'PRelu' ? ix.producer.get(p.input[0]!) : undefined;
    const w = conv?.opType === 'Conv' ? ix.inits.get(conv.input[1] ?? '') : undefined;
    const slopeT = ix.inits.get(p.input[1] ?? '');
    if (!w || !slopeT || dimsOf(w).length !== 4) {
      continue; // only after a 2-D conv: z is N x C x H x W
    }
    const c = dimsOf(w)[0]!;
    const slopes = floatsOf(slopeT);
    const sd = dimsOf(slopeT);
    const perChannel = slopes.length === c && (sd.length === 1 || (sd.length === 3 && sd[1] === 1 && sd[2] === 1));
    if (slopes.length !== 1 && !perChannel) {
      continue;
    }
    const z = p.input[0]!;
    const y = p.output[0]!;
    const name = (part: string): string => `${y}__prelu_${part}`;
    const depthwise = (part: string, x: string, scale: Float32Array, out: string): Node => {
      const t: Tensor = { name: name(`${part}_w`), dataType: 0, dims: [] };
      setFloats(t, [c, 1, 1, 1], scale);
      added.push(t);
      return {
        opType: 'Conv',
        name: name(part),
        input: [x, t.name],
        output: [out],
        attribute: [
          { name: 'group', type: INT, i: c },
          { name: 'kernel_shape', type: INTS, ints: [1, 1] },
        ],
      };
    };
    const slopeOf = (o: number): number => (slopes.length === 1 ? slopes[0]! : slopes[o]!);
    replaced.set(p, [
      depthwise('negate', z, new Float32Array(c).fill(-1), name('negated')),
      { opType: 'Relu', name: name('relu'), input: [name('negated')], output: [name('negative_part')], attribute: [] },
      depthwise('scale', name('negative_part'), Float32Array.from({ length: c }, (_, o) => 1 - slopeOf(o)), name('scaled')),
      { opType: 'Add', name: name('add'), input: [name('scaled'), z], output: [y], attribute: [] },
    ]);
  }
  if (replaced.size === 0) {
    return 0;
  }
  g.node = g.node.flatMap((n) => replaced.get(n) ?? [n]);
  const read = new Set(g.node.flatMap((n) => n.input));
  g.initializer = [...g.initializer.filter((t) => read.has(t.name)), ...added];
  g.valueInfo = [];
  return replaced.size;
}
