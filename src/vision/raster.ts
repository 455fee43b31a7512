// Pixel operations in plain JS on interleaved 8-bit 3-channel images.
// Why not OpenCV: @u4/opencv4nodejs is a non-context-aware NAN addon; loaded in
// a second thread of the same process (two face workers, or a worker plus the
// main thread) it crashes V8 ("Internal field out of bounds", "Cannot create a
// handle without a HandleScope"). The face workers therefore use sharp
// (N-API, thread-safe) for decode/encode and these loops for the rest; the
// sizes involved (320x240, 112x112, 64x64) keep them around a millisecond.
import type { Affine } from './align.js';
import { invertAffine } from './align.js';

export interface Raster {
  /** Interleaved, row-major, width * height * 3 bytes. */
  data: Uint8Array;
  width: number;
  height: number;
  /** Order of the three channels: sharp decodes to RGB, cameras give BGR. */
  order: 'rgb' | 'bgr';
}

export interface Normalisation {
  mean: number;
  std: number;
  /** Channel order the model wants. */
  order: 'rgb' | 'bgr';
}

export function makeRaster(width: number, height: number, order: Raster['order'], fill = 0): Raster {
  return { data: new Uint8Array(width * height * 3).fill(fill), width, height, order };
}

/**
 * Shrinks by an integer factor, averaging f x f blocks (an area filter, avoids aliasing before
 * bilinear). Optionally only the window (x0, y0, w, h) of `src`, so a face crop needs no copy.
 */
export function boxShrink(src: Raster, f: number, x0 = 0, y0 = 0, w = src.width, h = src.height): Raster {
  const ow = Math.floor(w / f);
  const oh = Math.floor(h / f);
  const out = makeRaster(ow, oh, src.order);
  const s = src.data;
  const d = out.data;
  const inv = 1 / (f * f);
  const rowStride = src.width * 3;
  const blockStep = f * 3;
  let di = 0;
  for (let y = 0; y < oh; y++) {
    let blockStart = (y0 + y * f) * rowStride + x0 * 3;
    for (let x = 0; x < ow; x++, blockStart += blockStep, di += 3) {
      // Integer sums per block (exact), then one rounding: the same bytes as summing row by row.
      let r = 0;
      let g = 0;
      let b = 0;
      for (let yy = 0, row = blockStart; yy < f; yy++, row += rowStride) {
        for (let i = row, end = row + blockStep; i < end; i += 3) {
          r += s[i]!;
          g += s[i + 1]!;
          b += s[i + 2]!;
        }
      }
      d[di] = Math.round(r * inv);
      d[di + 1] = Math.round(g * inv);
      d[di + 2] = Math.round(b * inv);
    }
  }
  return out;
}

/**
 * Samples `src` through `toSrc` (destination pixel -> source pixel, an affine
 * map) with bilinear interpolation into a width x height raster; outside the
 * source is `border`. Pixel centres at +0.5, as OpenCV's resize does.
 */
function sampleAffine(src: Raster, toSrc: Affine, width: number, height: number, border: number, centred: boolean): Raster {
  const out = makeRaster(width, height, src.order, border);
  const s = src.data;
  const d = out.data;
  const sw = src.width;
  const sh = src.height;
  const [a, b, c, e, f, g] = toSrc;
  const half = centred ? 0.5 : 0;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const dx = x + half;
      const dy = y + half;
      const sx = a * dx + b * dy + c - half;
      const sy = e * dx + f * dy + g - half;
      const x0 = Math.floor(sx);
      const y0 = Math.floor(sy);
      if (x0 < -1 || y0 < -1 || x0 >= sw || y0 >= sh) {
        continue;
      }
      const fx = sx - x0;
      const fy = sy - y0;
      const di = (y * width + x) * 3;
      if (x0 >= 0 && y0 >= 0 && x0 + 1 < sw && y0 + 1 < sh) {
        // Fast path: all four taps inside.
        const i00 = (y0 * sw + x0) * 3;
        const i10 = i00 + 3;
        const i01 = i00 + sw * 3;
        const i11 = i01 + 3;
        const w00 = (1 - fx) * (1 - fy);
        const w10 = fx * (1 - fy);
        const w01 = (1 - fx) * fy;
        const w11 = fx * fy;
        d[di] = Math.round(s[i00]! * w00 + s[i10]! * w10 + s[i01]! * w01 + s[i11]! * w11);
        d[di + 1] = Math.round(s[i00 + 1]! * w00 + s[i10 + 1]! * w10 + s[i01 + 1]! * w01 + s[i11 + 1]! * w11);
        d[di + 2] = Math.round(s[i00 + 2]! * w00 + s[i10 + 2]! * w10 + s[i01 + 2]! * w01 + s[i11 + 2]! * w11);
        continue;
      }
      sampleEdge(src, x0, y0, fx, fy, border, d, di);
    }
  }
  return out;
}

/**
 * One bilinear sample whose taps straddle the image edge (outside = border). Kept out of
 * sampleAffine's loop: the closure there slowed the whole loop (112x112 warp 0.49 -> 0.32 ms).
 */
function sampleEdge(src: Raster, x0: number, y0: number, fx: number, fy: number, border: number, d: Uint8Array, di: number): void {
  const s = src.data;
  const sw = src.width;
  const sh = src.height;
  for (let ch = 0; ch < 3; ch++) {
    const px = (xx: number, yy: number): number =>
      xx < 0 || yy < 0 || xx >= sw || yy >= sh ? border : s[(yy * sw + xx) * 3 + ch]!;
    const top = px(x0, y0) * (1 - fx) + px(x0 + 1, y0) * fx;
    const bottom = px(x0, y0 + 1) * (1 - fx) + px(x0 + 1, y0 + 1) * fx;
    d[di + ch] = Math.round(top * (1 - fy) + bottom * fy);
  }
}

/** Resize (aspect kept by the caller) with an area pre-shrink for big reductions, then bilinear. */
export function resize(src: Raster, width: number, height: number): Raster {
  let img = src;
  const f = Math.floor(Math.min(src.width / width, src.height / height));
  if (f >= 2) {
    img = boxShrink(src, f);
    if (img.width === width && img.height === height) {
      return img; // exact integer reduction (640x480 -> 320x240): the box filter is the resize
    }
  }
  const sx = img.width / width;
  const sy = img.height / height;
  return sampleAffine(img, [sx, 0, 0, 0, sy, 0], width, height, 0, true);
}

/** Pastes `src` into a width x height canvas of `fill` at (x, y). */
export function pad(src: Raster, width: number, height: number, x: number, y: number, fill: number): Raster {
  if (src.width === width && src.height === height) {
    return src;
  }
  const out = makeRaster(width, height, src.order, fill);
  for (let row = 0; row < src.height; row++) {
    out.data.set(src.data.subarray(row * src.width * 3, (row + 1) * src.width * 3), ((row + y) * width + x) * 3);
  }
  return out;
}

/** The aligned crop: `m` maps image points to crop points (as cv.warpAffine's M). Black outside. */
export function warpAffine(src: Raster, m: Affine, size: number): Raster {
  // Integer pixel coordinates like cv.warpAffine (no half-pixel shift).
  return sampleAffine(src, invertAffine(m), size, size, 0, false);
}

/** Square [x, y, x+side, y+side] (may leave the image: black) resized to size x size. */
export function cropSquare(src: Raster, x: number, y: number, side: number, size: number): Raster {
  let img = src;
  let ox = x;
  let oy = y;
  let s = side;
  const f = Math.floor(side / size);
  if (f >= 2) {
    // Area pre-shrink of just the region (plus a margin), so big faces do not alias.
    const x0 = Math.max(0, Math.floor(x));
    const y0 = Math.max(0, Math.floor(y));
    const x1 = Math.min(src.width, Math.ceil(x + side));
    const y1 = Math.min(src.height, Math.ceil(y + side));
    if (x1 > x0 && y1 > y0) {
      img = boxShrink(src, f, x0, y0, x1 - x0, y1 - y0);
      ox = (x - x0) / f;
      oy = (y - y0) / f;
      s = side / f;
    }
  }
  const k = s / size;
  return sampleAffine(img, [k, 0, ox, 0, k, oy], size, size, 0, true);
}

export function region(src: Raster, x: number, y: number, w: number, h: number): Raster {
  const out = makeRaster(w, h, src.order);
  for (let row = 0; row < h; row++) {
    const from = ((y + row) * src.width + x) * 3;
    out.data.set(src.data.subarray(from, from + w * 3), row * w * 3);
  }
  return out;
}

/** Grey levels (OpenCV's BGR2GRAY weights). */
export function grey(src: Raster): Float32Array {
  const n = src.width * src.height;
  const out = new Float32Array(n);
  const d = src.data;
  const [ri, bi] = src.order === 'rgb' ? [0, 2] : [2, 0];
  for (let i = 0, j = 0; i < n; i++, j += 3) {
    out[i] = 0.299 * d[j + ri]! + 0.587 * d[j + 1]! + 0.114 * d[j + bi]!;
  }
  return out;
}

/** Variance of the 4-neighbour Laplacian over the interior (sharpness). */
export function laplacianVariance(g: Float32Array, width: number, height: number): number {
  let sum = 0;
  let sumSq = 0;
  let n = 0;
  for (let y = 1; y < height - 1; y++) {
    for (let x = 1; x < width - 1; x++) {
      const i = y * width + x;
      const v = g[i - 1]! + g[i + 1]! + g[i - width]! + g[i + width]! - 4 * g[i]!;
      sum += v;
      sumSq += v * v;
      n++;
    }
  }
  if (n === 0) {return 0;}
  const mean = sum / n;
  return sumSq / n - mean * mean;
}

/** Writes the raster into `out` at `offset` as planar CHW floats (v - mean) / std. */
export function toChw(src: Raster, norm: Normalisation, out: Float32Array, offset = 0): void {
  const data = src.data;
  const plane = src.width * src.height;
  const inv = 1 / norm.std;
  const m = norm.mean;
  const [c0, c2] = norm.order === src.order ? [0, 2] : [2, 0];
  const p1 = offset + plane;
  const p2 = offset + 2 * plane;
  for (let i = 0, j = 0; i < plane; i++, j += 3) {
    out[offset + i] = (data[j + c0]! - m) * inv;
    out[p1 + i] = (data[j + 1]! - m) * inv;
    out[p2 + i] = (data[j + c2]! - m) * inv;
  }
}

/** Same pixels with the channel order swapped (for encoders that want RGB). */
export function toRgb(src: Raster): Raster {
  if (src.order === 'rgb') {return src;}
  const d = new Uint8Array(src.data.length);
  const s = src.data;
  for (let j = 0; j < s.length; j += 3) {
    d[j] = s[j + 2]!;
    d[j + 1] = s[j + 1]!;
    d[j + 2] = s[j]!;
  }
  return { data: d, width: src.width, height: src.height, order: 'rgb' };
}
