// boxShrink: the area average of each f x f block, rounded once, for the whole image or a window.
import { describe, expect, it } from 'vitest';
import { boxShrink, region, type Raster } from '../../src/vision/raster.js';

function noise(width: number, height: number, seed: number): Raster {
  const data = new Uint8Array(width * height * 3);
  let s = seed;
  for (let i = 0; i < data.length; i++) {
    s = (s * 1103515245 + 12345) >>> 0;
    data[i] = s >>> 24;
  }
  return { data, width, height, order: 'bgr' };
}

/** Straightforward reference: per output pixel and channel, the mean of its block. */
function reference(src: Raster, f: number): Uint8Array {
  const w = Math.floor(src.width / f);
  const h = Math.floor(src.height / f);
  const out = new Uint8Array(w * h * 3);
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      for (let c = 0; c < 3; c++) {
        let sum = 0;
        for (let yy = 0; yy < f; yy++) {
          for (let xx = 0; xx < f; xx++) {
            sum += src.data[((y * f + yy) * src.width + x * f + xx) * 3 + c]!;
          }
        }
        out[(y * w + x) * 3 + c] = Math.round(sum / (f * f));
      }
    }
  }
  return out;
}

describe('boxShrink', () => {
  it.each([2, 3, 5])('averages %i x %i blocks (ragged edges dropped)', (f) => {
    const src = noise(67, 41, f);
    const out = boxShrink(src, f);
    expect([out.width, out.height]).toEqual([Math.floor(67 / f), Math.floor(41 / f)]);
    expect(Buffer.from(out.data).equals(Buffer.from(reference(src, f)))).toBe(true);
  });

  it('shrinks a window exactly as a copy of that window', () => {
    const src = noise(120, 90, 7);
    const win = boxShrink(src, 4, 13, 22, 61, 50);
    const copied = boxShrink(region(src, 13, 22, 61, 50), 4);
    expect([win.width, win.height]).toEqual([15, 12]);
    expect(Buffer.from(win.data).equals(Buffer.from(copied.data))).toBe(true);
  });
});
