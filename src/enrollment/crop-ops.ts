// Pixel operations on small interleaved 8-bit 3-channel images (the 112x112
// aligned crop), in plain JS. Not OpenCV: @u4/opencv4nodejs is a
// non-context-aware addon that crashes when a second thread of the process
// loads it (see src/vision/raster.ts), and these run inside the face workers.
// Every operation treats the three channels alike, so BGR stays BGR.

export interface Image3 {
  data: Uint8Array;
  width: number;
  height: number;
}

const clampByte = (v: number): number => (v <= 0 ? 0 : v >= 255 ? 255 : Math.round(v));

/** Border index like OpenCV's BORDER_REFLECT_101 (gfedcb|abcdefgh|gfedcba). */
export function reflect101(i: number, n: number): number {
  if (n === 1) {
    return 0;
  }
  let j = i;
  while (j < 0 || j >= n) {
    j = j < 0 ? -j : 2 * n - 2 - j;
  }
  return j;
}

export function flipHorizontal(src: Image3): Image3 {
  const { width: w, height: h } = src;
  const out = new Uint8Array(src.data.length);
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const s = (y * w + (w - 1 - x)) * 3;
      const d = (y * w + x) * 3;
      out[d] = src.data[s]!;
      out[d + 1] = src.data[s + 1]!;
      out[d + 2] = src.data[s + 2]!;
    }
  }
  return { data: out, width: w, height: h };
}

/** v * alpha + beta per byte (contrast, brightness), saturated like convertTo. */
export function linearTransform(src: Image3, alpha: number, beta: number): Image3 {
  const out = new Uint8Array(src.data.length);
  for (let i = 0; i < out.length; i++) {
    out[i] = clampByte(src.data[i]! * alpha + beta);
  }
  return { ...src, data: out };
}

export function gaussianKernel(sigma: number, radius: number): Float64Array {
  const k = new Float64Array(2 * radius + 1);
  let sum = 0;
  for (let i = -radius; i <= radius; i++) {
    const v = Math.exp(-(i * i) / (2 * sigma * sigma));
    k[i + radius] = v;
    sum += v;
  }
  return k.map((v) => v / sum);
}

/** Separable Gaussian blur with reflected borders. */
export function gaussianBlur(src: Image3, sigma: number, radius = 2): Image3 {
  const { width: w, height: h } = src;
  const k = gaussianKernel(sigma, radius);
  // Border indices looked up once instead of per tap.
  const xs = Int32Array.from({ length: w + 2 * radius }, (_, i) => reflect101(i - radius, w));
  const ys = Int32Array.from({ length: h + 2 * radius }, (_, i) => reflect101(i - radius, h));
  const tmp = new Float32Array(src.data.length);
  for (let y = 0; y < h; y++) {
    const row = y * w;
    for (let x = 0; x < w; x++) {
      let s0 = 0;
      let s1 = 0;
      let s2 = 0;
      for (let t = 0; t <= 2 * radius; t++) {
        const kv = k[t]!;
        const p = (row + xs[x + t]!) * 3;
        s0 += kv * src.data[p]!;
        s1 += kv * src.data[p + 1]!;
        s2 += kv * src.data[p + 2]!;
      }
      const d = (row + x) * 3;
      tmp[d] = s0;
      tmp[d + 1] = s1;
      tmp[d + 2] = s2;
    }
  }
  const out = new Uint8Array(src.data.length);
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      let s0 = 0;
      let s1 = 0;
      let s2 = 0;
      for (let t = 0; t <= 2 * radius; t++) {
        const kv = k[t]!;
        const p = (ys[y + t]! * w + x) * 3;
        s0 += kv * tmp[p]!;
        s1 += kv * tmp[p + 1]!;
        s2 += kv * tmp[p + 2]!;
      }
      const d = (y * w + x) * 3;
      out[d] = clampByte(s0);
      out[d + 1] = clampByte(s1);
      out[d + 2] = clampByte(s2);
    }
  }
  return { data: out, width: w, height: h };
}

/**
 * Rotation by `degrees` (positive = counter-clockwise on screen, as
 * cv.getRotationMatrix2D) about the image centre, bilinear, reflected borders
 * so no black corners appear (the embedder never sees those in real crops).
 */
export function rotate(src: Image3, degrees: number): Image3 {
  const { width: w, height: h } = src;
  const cx = (w - 1) / 2;
  const cy = (h - 1) / 2;
  const r = (degrees * Math.PI) / 180;
  const cos = Math.cos(r);
  const sin = Math.sin(r);
  const out = new Uint8Array(src.data.length);
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      // Inverse map: the source point that lands on (x, y). Image y points down,
      // so a counter-clockwise turn on screen uses the transposed rotation.
      const dx = x - cx;
      const dy = y - cy;
      const sx = cos * dx - sin * dy + cx;
      const sy = sin * dx + cos * dy + cy;
      const x0 = Math.floor(sx);
      const y0 = Math.floor(sy);
      const fx = sx - x0;
      const fy = sy - y0;
      const xa = reflect101(x0, w);
      const xb = reflect101(x0 + 1, w);
      const ya = reflect101(y0, h);
      const yb = reflect101(y0 + 1, h);
      for (let c = 0; c < 3; c++) {
        const p00 = src.data[(ya * w + xa) * 3 + c]!;
        const p01 = src.data[(ya * w + xb) * 3 + c]!;
        const p10 = src.data[(yb * w + xa) * 3 + c]!;
        const p11 = src.data[(yb * w + xb) * 3 + c]!;
        const top = p00 + (p01 - p00) * fx;
        const bottom = p10 + (p11 - p10) * fx;
        out[(y * w + x) * 3 + c] = clampByte(top + (bottom - top) * fy);
      }
    }
  }
  return { data: out, width: w, height: h };
}

/** Adds Gaussian noise of standard deviation `sigma`, drawing from `gaussian()`. */
export function addNoise(src: Image3, sigma: number, gaussian: () => number): Image3 {
  const out = new Uint8Array(src.data.length);
  for (let i = 0; i < out.length; i++) {
    out[i] = clampByte(src.data[i]! + sigma * gaussian());
  }
  return { ...src, data: out };
}
