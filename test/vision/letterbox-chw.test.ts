// The fused letterbox must give exactly the tensor of the old three-step path
// (resize -> pad -> toChw) for exact integer reductions and for other sizes.
import { describe, expect, it } from 'vitest';
import { computeLetterbox } from '../../src/vision/letterbox.js';
import { letterboxChw } from '../../src/vision/letterbox-chw.js';
import { pad, resize, toChw, type Raster } from '../../src/vision/raster.js';

function noise(width: number, height: number, order: Raster['order'], seed: number): Raster {
  const data = new Uint8Array(width * height * 3);
  let s = seed;
  for (let i = 0; i < data.length; i++) {
    s = (s * 1103515245 + 12345) >>> 0;
    data[i] = s >>> 24;
  }
  return { data, width, height, order };
}

function oldPath(src: Raster, W: number, H: number): Float32Array {
  const lb = computeLetterbox(src.width, src.height, W, H, 'center');
  const input = pad(resize(src, lb.resizedWidth, lb.resizedHeight), W, H, lb.padX, lb.padY, 127);
  const out = new Float32Array(3 * W * H);
  toChw(input, { mean: 127, std: 128, order: 'rgb' }, out);
  return out;
}

describe('letterboxChw', () => {
  const cases: [number, number, Raster['order']][] = [
    [640, 480, 'rgb'], // exact 2x
    [640, 360, 'bgr'], // exact 2x with vertical padding
    [1280, 720, 'bgr'], // exact 4x
    [1080, 1350, 'rgb'], // portrait, bilinear fallback, horizontal padding
    [320, 240, 'rgb'], // identity
    [300, 200, 'rgb'], // upscale
  ];
  it.each(cases)('%ix%i %s matches resize+pad+toChw', (w, h, order) => {
    const src = noise(w, h, order, w * 7 + h);
    const lb = computeLetterbox(w, h, 320, 240, 'center');
    const out = new Float32Array(3 * 320 * 240).fill(99); // stale data from a previous frame must be overwritten
    letterboxChw(src, lb, { mean: 127, std: 128, order: 'rgb' }, 127, out);
    const want = oldPath(src, 320, 240);
    // First differing index (toEqual on 230k floats is slow): -1 when identical.
    expect(out.findIndex((v, i) => v !== want[i])).toBe(-1);
  });

  it('refuses an output of the wrong size', () => {
    const lb = computeLetterbox(640, 480, 320, 240);
    expect(() => letterboxChw(noise(640, 480, 'rgb', 1), lb, { mean: 127, std: 128, order: 'rgb' }, 127, new Float32Array(10))).toThrow(
      RangeError,
    );
  });
});
