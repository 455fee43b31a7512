// Letterbox straight into the detector's planar float tensor. The detector
// input used to be built as resize -> pad -> toChw, three rasters and four
// passes over the pixels (~4 ms of the 7 ms detect stage for 640x480). The
// common camera/photo case is an exact integer reduction (640x480 -> 320x240,
// 640x360 / 1280x720 -> 320x180): there one pass averages each f x f block
// and writes the normalised value to its plane. Other sizes fall back to the
// general resize, still fused with pad + toChw. Pixel values are identical
// to the old path (same box average, same rounding).
import type { Letterbox } from './letterbox.js';
import { resize, type Normalisation, type Raster } from './raster.js';

/**
 * Fills `out` (3 x lb.inputHeight x lb.inputWidth, reused by the caller) with
 * the letterboxed image, padding with `fill` (a pixel value, normalised too).
 */
export function letterboxChw(src: Raster, lb: Letterbox, norm: Normalisation, fill: number, out: Float32Array): void {
  const W = lb.inputWidth;
  const H = lb.inputHeight;
  if (out.length !== 3 * W * H) {
    throw new RangeError(`letterboxChw: output has ${out.length} floats, expected ${3 * W * H}`);
  }
  const f = Math.floor(Math.min(src.width / lb.resizedWidth, src.height / lb.resizedHeight));
  const exact =
    f >= 1 && Math.floor(src.width / f) === lb.resizedWidth && Math.floor(src.height / f) === lb.resizedHeight;
  if (lb.resizedWidth !== W || lb.resizedHeight !== H) {
    out.fill((fill - norm.mean) / norm.std);
  }
  if (exact && f === 2) {
    halveIntoChw(src, lb, norm, out);
  } else if (exact) {
    boxIntoChw(src, f, lb, norm, out);
  } else {
    copyIntoChw(resize(src, lb.resizedWidth, lb.resizedHeight), lb, norm, out);
  }
}

/** Channel offsets in the source pixel for the model's R/B planes. */
function channelMap(src: Raster, norm: Normalisation): [number, number] {
  return norm.order === src.order ? [0, 2] : [2, 0];
}

/** Normalised value of every 8-bit level (the same float the arithmetic gives). */
function levels(norm: Normalisation): Float32Array {
  const lut = new Float32Array(256);
  for (let v = 0; v < 256; v++) {
    lut[v] = (v - norm.mean) * (1 / norm.std);
  }
  return lut;
}

/** The 640-wide case, unrolled: 2x2 blocks, round(sum / 4) as (sum + 2) >> 2, levels from a table (~3x the general loop). */
function halveIntoChw(src: Raster, lb: Letterbox, norm: Normalisation, out: Float32Array): void {
  const s = src.data;
  const W = lb.inputWidth;
  const plane = W * lb.inputHeight;
  const [c0, c2] = channelMap(src, norm);
  const lut = levels(norm);
  const rowStride = src.width * 3;
  for (let y = 0; y < lb.resizedHeight; y++) {
    let o = (y + lb.padY) * W + lb.padX;
    let i = 2 * y * rowStride;
    for (let x = 0; x < lb.resizedWidth; x++, o++, i += 6) {
      const j = i + rowStride;
      out[o] = lut[(s[i + c0]! + s[i + 3 + c0]! + s[j + c0]! + s[j + 3 + c0]! + 2) >> 2]!;
      out[o + plane] = lut[(s[i + 1]! + s[i + 4]! + s[j + 1]! + s[j + 4]! + 2) >> 2]!;
      out[o + 2 * plane] = lut[(s[i + c2]! + s[i + 3 + c2]! + s[j + c2]! + s[j + 3 + c2]! + 2) >> 2]!;
    }
  }
}

function boxIntoChw(src: Raster, f: number, lb: Letterbox, norm: Normalisation, out: Float32Array): void {
  const s = src.data;
  const sw = src.width;
  const W = lb.inputWidth;
  const plane = W * lb.inputHeight;
  const [c0, c2] = channelMap(src, norm);
  const area = f * f;
  const inv = 1 / area;
  const m = norm.mean;
  const k = 1 / norm.std;
  const rowStride = sw * 3;
  for (let y = 0; y < lb.resizedHeight; y++) {
    let o = (y + lb.padY) * W + lb.padX;
    const rowStart = y * f * rowStride;
    for (let x = 0; x < lb.resizedWidth; x++, o++) {
      let a = 0;
      let g = 0;
      let b = 0;
      let rowI = rowStart + x * f * 3;
      for (let yy = 0; yy < f; yy++, rowI += rowStride) {
        for (let xx = 0, i = rowI; xx < f; xx++, i += 3) {
          a += s[i + c0]!;
          g += s[i + 1]!;
          b += s[i + c2]!;
        }
      }
      // Round like boxShrink (an 8-bit raster) so outputs match the old path exactly.
      out[o] = (Math.round(a * inv) - m) * k;
      out[o + plane] = (Math.round(g * inv) - m) * k;
      out[o + 2 * plane] = (Math.round(b * inv) - m) * k;
    }
  }
}

function copyIntoChw(img: Raster, lb: Letterbox, norm: Normalisation, out: Float32Array): void {
  const s = img.data;
  const W = lb.inputWidth;
  const plane = W * lb.inputHeight;
  const [c0, c2] = channelMap(img, norm);
  const m = norm.mean;
  const k = 1 / norm.std;
  for (let y = 0; y < img.height; y++) {
    let o = (y + lb.padY) * W + lb.padX;
    for (let x = 0, i = y * img.width * 3; x < img.width; x++, o++, i += 3) {
      out[o] = (s[i + c0]! - m) * k;
      out[o + plane] = (s[i + 1]! - m) * k;
      out[o + 2 * plane] = (s[i + c2]! - m) * k;
    }
  }
}
