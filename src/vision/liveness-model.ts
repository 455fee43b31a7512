// Passive liveness with fr_liveness.onnx (faceplugin pack, a MiniFASNet-style
// network): the 128x128 crop of liveness-crop.ts as raw 0..255 values in BGR
// order, NCHW; three logits, softmax, class 0 = live. Score = P(live).
// Fed RGB it drops from AUC 0.999 to ~0.9 (STACK.md): the channel order is
// checked by a golden test.
import { livenessCrop, LIVENESS_SIZE } from './liveness-crop.js';
import { modelPathIn, readManifest } from './model-manifest.js';
import { createSession, ort, tensorData, type Session } from './onnx-session.js';
import type { Raster } from './raster.js';
import type { Box } from './types.js';

const PLANE = LIVENESS_SIZE * LIVENESS_SIZE;
/** Class index of "live" in the model's output. */
export const LIVE_CLASS = 0;

/** Writes a size x size crop into `out` at `offset` as planar B, G, R floats of the raw bytes. */
export function fillLivenessTensor(crop: Raster, out: Float32Array, offset = 0): void {
  const plane = crop.width * crop.height;
  if (out.length < offset + 3 * plane) {
    throw new RangeError(`tensor of ${out.length} floats cannot hold a ${crop.width}x${crop.height} crop at ${offset}`);
  }
  const d = crop.data;
  // Planes in B, G, R order whatever the raster holds (sharp decodes RGB, cameras give BGR).
  const [bi, ri] = crop.order === 'bgr' ? [0, 2] : [2, 0];
  const pg = offset + plane;
  const pr = offset + 2 * plane;
  for (let i = 0, j = 0; i < plane; i++, j += 3) {
    out[offset + i] = d[j + bi]!;
    out[pg + i] = d[j + 1]!;
    out[pr + i] = d[j + ri]!;
  }
}

/** Numerically stable softmax. */
export function softmax(logits: ArrayLike<number>): number[] {
  let max = -Infinity;
  for (let i = 0; i < logits.length; i++) {
    max = Math.max(max, logits[i]!);
  }
  const e = Array.from({ length: logits.length }, (_, i) => Math.exp(logits[i]! - max));
  const sum = e.reduce((a, b) => a + b, 0);
  return e.map((v) => v / sum);
}

/** P(live) from the model's three logits. */
export function liveProbability(logits: ArrayLike<number>): number {
  if (logits.length !== 3) {
    throw new RangeError(`liveness model gave ${logits.length} outputs, expected 3`);
  }
  return softmax(logits)[LIVE_CLASS]!;
}

export class LivenessModel {
  /**
   * The input tensor, reused from face to face (the model's batch is fixed at 1). Taken, not
   * shared: a second task running in the same worker meanwhile allocates its own.
   */
  private input: Float32Array | undefined;

  private constructor(private readonly session: Session) {}

  static async create(modelPath: string, intraOpThreads = 1): Promise<LivenessModel> {
    return new LivenessModel(await createSession(modelPath, { intraOpThreads }));
  }

  /** The model a faceplugin pack's manifest names (sha256 checked); throws when it has none or the file is missing. */
  static async fromPack(packDir: string, intraOpThreads = 1): Promise<LivenessModel> {
    const spec = readManifest(packDir).models.liveness;
    if (!spec) {
      throw new Error(`${packDir}/manifest.json names no liveness model: set LIVENESS_MODE=off or use the faceplugin pack`);
    }
    return LivenessModel.create(modelPathIn(packDir, spec), intraOpThreads);
  }

  /** P(live) of each face, given the detector boxes in `image` pixels. */
  async score(image: Raster, detectorBoxes: readonly Box[]): Promise<number[]> {
    const scores: number[] = [];
    for (const box of detectorBoxes) {
      scores.push(await this.scoreCrop(livenessCrop(image, box)));
    }
    return scores;
  }

  /** P(live) of an already cut 128x128 crop. */
  async scoreCrop(crop: Raster): Promise<number> {
    if (crop.width !== LIVENESS_SIZE || crop.height !== LIVENESS_SIZE) {
      throw new RangeError(`liveness crop is ${crop.width}x${crop.height}, expected ${LIVENESS_SIZE}x${LIVENESS_SIZE}`);
    }
    const data = this.input ?? new Float32Array(3 * PLANE);
    this.input = undefined;
    fillLivenessTensor(crop, data);
    try {
      const out = await this.session.run({ input: new ort.Tensor('float32', data, [1, 3, LIVENESS_SIZE, LIVENESS_SIZE]) });
      return liveProbability(tensorData(out, 'output'));
    } finally {
      this.input = data;
    }
  }

  async close(): Promise<void> {
    await this.session.release();
  }
}
