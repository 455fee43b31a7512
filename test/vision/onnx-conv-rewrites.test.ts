// The offline rewrites that put the liveness model on ONNX Runtime's NCHWc
// kernels (src/vision/onnx-conv-rewrites.ts): a small MiniFASNet-like block
// built here, run by ONNX Runtime before and after, must give the same outputs;
// what does not match the pattern must be left alone.
import { describe, expect, it } from 'vitest';
import { modelType, patchModel } from '../../src/vision/onnx-patch.js';
import type { Model } from '../../src/vision/onnx-proto-types.js';
import { attributeInt, dimsOf } from '../../src/vision/onnx-proto-types.js';
import { createSession, ort } from '../../src/vision/onnx-session.js';
import { encode, type NodeSpec } from './helpers/build-onnx.js';

let seed = 11;
const rand = (): number => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31 - 0.5;
const floats = (n: number, scale = 1): Float32Array => Float32Array.from({ length: n }, () => rand() * scale);

const IN = 4;
const MID = 13; // not a multiple of 16: the depthwise conv must be padded
const OUT = 8;

interface BlockOptions {
  /** Slopes of the first PRelu (default: per channel in -0.5..0.5). */
  firstSlopes?: Float32Array;
  /** Also expose the first conv's output as a graph output (so it must not be padded). */
  exposeHead?: boolean;
}

/** input [1,4,12,12] -> Conv 1x1 -> PRelu -> depthwise 3x3 -> PRelu -> Conv 1x1 -> PRelu(one slope) -> output. */
function block(opts: BlockOptions = {}): Uint8Array {
  const conv = (x: string, w: string, b: string, y: string, group: number, k: number): NodeSpec => ({
    op: 'Conv',
    inputs: [x, w, b],
    outputs: [y],
    ints: { kernel_shape: [k, k], pads: k === 3 ? [1, 1, 1, 1] : [0, 0, 0, 0], strides: [1, 1], dilations: [1, 1] },
    int: { group },
  });
  const nodes: NodeSpec[] = [
    conv('input', 'w1', 'b1', 'z1', 1, 1),
    { op: 'PRelu', inputs: ['z1', 's1'], outputs: ['a1'] },
    conv('a1', 'w2', 'b2', 'z2', MID, 3),
    { op: 'PRelu', inputs: ['z2', 's2'], outputs: ['a2'] },
    conv('a2', 'w3', 'b3', 'z3', 1, 1),
    { op: 'PRelu', inputs: ['z3', 's3'], outputs: ['output'] },
  ];
  const outputs = [{ name: 'output', shape: [1, OUT, 12, 12] }, ...(opts.exposeHead ? [{ name: 'z1', shape: [1, MID, 12, 12] }] : [])];
  return encode([{ name: 'input', shape: [1, IN, 12, 12] }], outputs, nodes, [
    { name: 'w1', dims: [MID, IN, 1, 1], data: floats(MID * IN) },
    { name: 'b1', dims: [MID], data: floats(MID) },
    { name: 's1', dims: [MID, 1, 1], data: opts.firstSlopes ?? floats(MID) },
    { name: 'w2', dims: [MID, 1, 3, 3], data: floats(MID * 9) },
    { name: 'b2', dims: [MID], data: floats(MID) },
    { name: 's2', dims: [MID, 1, 1], data: floats(MID) },
    { name: 'w3', dims: [OUT, MID, 1, 1], data: floats(OUT * MID) },
    { name: 'b3', dims: [OUT], data: floats(OUT) },
    { name: 's3', dims: [1], data: new Float32Array([0.25]) },
  ]);
}

async function run(bytes: Uint8Array, input: Float32Array): Promise<Float32Array> {
  const session = await createSession(bytes, { intraOpThreads: 1 });
  try {
    const out = await session.run({ input: new ort.Tensor('float32', input, [1, IN, 12, 12]) });
    return Float32Array.from(out.output!.data as Float32Array);
  } finally {
    await session.release();
  }
}

const decode = (bytes: Uint8Array): Model => modelType().decode(bytes) as unknown as Model;

describe('padDepthwiseChannels + preluAsDepthwise', () => {
  it('gives the same outputs with no PRelu left and the depthwise conv padded to 16 channels', async () => {
    const original = block();
    const { bytes, report } = patchModel(original, { padDepthwise: true, preluDepthwise: true });
    expect(report.depthwisePadded).toBe(1);
    expect(report.preluRewritten).toBe(3);
    const g = decode(bytes).graph;
    expect(g.node.filter((n) => n.opType === 'PRelu')).toHaveLength(0);
    // The 3x3 depthwise conv, and two 1x1 depthwise convs per PRelu (16, 16, 16, 16, 8, 8 channels).
    const dw = g.node.filter((n) => n.opType === 'Conv' && attributeInt(n, 'group', 1) > 1);
    expect(dw.map((n) => attributeInt(n, 'group', 1)).sort((a, b) => a - b)).toEqual([8, 8, 16, 16, 16, 16, 16]);
    const w3 = g.initializer.find((t) => t.name === 'w3');
    expect(w3 && dimsOf(w3)).toEqual([OUT, 16, 1, 1]);

    for (let trial = 0; trial < 3; trial++) {
      const input = floats(IN * 144, 4);
      const [a, b] = [await run(original, input), await run(bytes, input)];
      expect(b).toHaveLength(a.length);
      let worst = 0;
      for (let i = 0; i < a.length; i++) {
        worst = Math.max(worst, Math.abs(a[i]! - b[i]!));
      }
      expect(worst).toBeLessThan(1e-5);
      expect(a.some((v) => v < 0) && a.some((v) => v > 0)).toBe(true); // both PRelu branches exercised
    }
  });

  it('holds for slopes above 1 and below -1 too (z + (1-s) relu(-z) = PRelu(z) for any s)', async () => {
    const slopes = floats(MID);
    slopes[3] = 1.5;
    slopes[5] = -2;
    const original = block({ firstSlopes: slopes });
    const { bytes, report } = patchModel(original, { padDepthwise: true, preluDepthwise: true });
    expect(report.preluRewritten).toBe(3);
    const input = floats(IN * 144, 4);
    const [a, b] = [await run(original, input), await run(bytes, input)];
    expect(Math.max(...a.map((v, i) => Math.abs(v - b[i]!)))).toBeLessThan(1e-5);
  });

  it('does not pad channels that leave the block (a graph output)', () => {
    const { bytes, report } = patchModel(block({ exposeHead: true }), { padDepthwise: true });
    expect(report.depthwisePadded).toBe(0);
    const w1 = decode(bytes).graph.initializer.find((t) => t.name === 'w1');
    expect(w1 && dimsOf(w1)).toEqual([MID, IN, 1, 1]);
  });
});
