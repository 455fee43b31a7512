// Mat (8-bit BGR or grey) -> float32 NCHW model input, in JS over the raw
// bytes: cheaper than OpenCV's float conversions plus a transpose for these sizes.
import type { Mat } from './opencv.js';

export interface Normalisation {
  mean: number;
  std: number;
  /** Channel order the model wants; Mats are BGR. */
  order: 'rgb' | 'bgr';
}

/** Writes one HWC BGR image into `out` at `offset` as CHW floats (v - mean) / std. */
export function bgrToChw(mat: Mat, norm: Normalisation, out: Float32Array, offset = 0): void {
  const data = mat.getData();
  const plane = mat.rows * mat.cols;
  if (data.length !== plane * 3) {
    throw new Error(`expected a continuous 8-bit 3-channel Mat, got ${data.length} bytes for ${mat.cols}x${mat.rows}`);
  }
  const inv = 1 / norm.std;
  const m = norm.mean;
  // Source channel for output plane 0 / 1 / 2.
  const [c0, c2] = norm.order === 'rgb' ? [2, 0] : [0, 2];
  const p0 = offset;
  const p1 = offset + plane;
  const p2 = offset + 2 * plane;
  for (let i = 0, j = 0; i < plane; i++, j += 3) {
    out[p0 + i] = (data[j + c0]! - m) * inv;
    out[p1 + i] = (data[j + 1]! - m) * inv;
    out[p2 + i] = (data[j + c2]! - m) * inv;
  }
}

/** One-channel 8-bit Mat -> floats v * scale at `offset`. */
export function greyToFloats(mat: Mat, scale: number, out: Float32Array, offset = 0): void {
  const data = mat.getData();
  for (let i = 0; i < data.length; i++) {
    out[offset + i] = data[i]! * scale;
  }
}

export function l2Normalise(v: Float32Array): Float32Array {
  let s = 0;
  for (let i = 0; i < v.length; i++) {
    s += v[i]! * v[i]!;
  }
  const inv = s > 0 ? 1 / Math.sqrt(s) : 0;
  for (let i = 0; i < v.length; i++) {
    v[i]! *= inv;
  }
  return v;
}

export function cosine(a: Float32Array, b: Float32Array): number {
  let dot = 0;
  let na = 0;
  let nb = 0;
  for (let i = 0; i < a.length; i++) {
    dot += a[i]! * b[i]!;
    na += a[i]! * a[i]!;
    nb += b[i]! * b[i]!;
  }
  return na > 0 && nb > 0 ? dot / Math.sqrt(na * nb) : 0;
}
