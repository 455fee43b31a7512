// Augmentation on a real face crop: pixel-level checks (the embedding-level
// check, through the real engine, is in augment-embedding.test.ts).
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import sharp from 'sharp';
import { beforeAll, describe, expect, it } from 'vitest';
import { CROP_BYTES, augmentCrop, augmentVariants } from '../../src/enrollment/augment.js';
import { gaussianBlur, reflect101, rotate } from '../../src/enrollment/crop-ops.js';
import { augmentEncodedCrop, decodeCrop } from '../../src/enrollment/decode-crop.js';
import { FACES_DIR as FACES } from '../helpers/shared-faces.js';


function swapRB(px: Uint8Array): Uint8Array {
  const out = new Uint8Array(px.length);
  for (let i = 0; i < px.length; i += 3) {
    out[i] = px[i + 2]!;
    out[i + 1] = px[i + 1]!;
    out[i + 2] = px[i]!;
  }
  return out;
}

/** The face of obama-1.jpg (the detector's box, squared by height) as packed BGR 112x112. */
async function realCrop(): Promise<Uint8Array> {
  const side = 413 - 79;
  const left = Math.round((380 + 607) / 2 - side / 2);
  const rgb = await sharp(readFileSync(resolve(FACES, 'people/obama/obama-1.jpg')))
    .extract({ left, top: 79, width: side, height: side })
    .resize(112, 112)
    .removeAlpha()
    .raw()
    .toBuffer();
  return swapRB(new Uint8Array(rgb));
}

function mirror(raw: Uint8Array): Uint8Array {
  const out = new Uint8Array(raw.length);
  for (let y = 0; y < 112; y++) {
    for (let x = 0; x < 112; x++) {
      for (let c = 0; c < 3; c++) {
        out[(y * 112 + x) * 3 + c] = raw[(y * 112 + (111 - x)) * 3 + c]!;
      }
    }
  }
  return out;
}

function meanAbsDiff(a: Uint8Array, b: Uint8Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) {
    s += Math.abs(a[i]! - b[i]!);
  }
  return s / a.length;
}

const mean = (a: ArrayLike<number>): number => Array.from(a).reduce((s, v) => s + v, 0) / a.length;

/** Grey 28x28 thumbnail (4x4 box means): compares face structure, not pixel noise. */
function thumb(raw: Uint8Array): Float64Array {
  const out = new Float64Array(28 * 28);
  for (let y = 0; y < 112; y++) {
    for (let x = 0; x < 112; x++) {
      const i = (y * 112 + x) * 3;
      out[Math.floor(y / 4) * 28 + Math.floor(x / 4)]! += (raw[i]! + raw[i + 1]! + raw[i + 2]!) / 48;
    }
  }
  return out;
}

function correlation(a: ArrayLike<number>, b: ArrayLike<number>): number {
  const ma = mean(a);
  const mb = mean(b);
  let sab = 0;
  let saa = 0;
  let sbb = 0;
  for (let i = 0; i < a.length; i++) {
    const da = a[i]! - ma;
    const db = b[i]! - mb;
    sab += da * db;
    saa += da * da;
    sbb += db * db;
  }
  return sab / Math.sqrt(saa * sbb);
}

let crop: Uint8Array;
beforeAll(async () => {
  crop = await realCrop();
});

describe('augmentCrop', () => {
  it('makes `count` distinct 112x112x3 crops', () => {
    const out = augmentCrop(crop, 12, 42);
    expect(out).toHaveLength(12);
    for (const v of out) {
      expect(v.byteLength).toBe(CROP_BYTES);
      expect(meanAbsDiff(v, crop)).toBeGreaterThan(0.5);
    }
    for (let i = 0; i < out.length; i++) {
      for (let j = i + 1; j < out.length; j++) {
        expect(meanAbsDiff(out[i]!, out[j]!), `variants ${i} and ${j}`).toBeGreaterThan(0.5);
      }
    }
  });

  it('uses flip, brightness/contrast, blur, rotation and noise; the flip is an exact mirror', () => {
    const vs = augmentVariants(crop, 5, 1);
    expect(vs.map((v) => v.kinds)).toEqual([['flip'], ['brightness_contrast'], ['blur'], ['rotate'], ['noise']]);
    expect(Buffer.from(vs[0]!.bytes).equals(Buffer.from(mirror(crop)))).toBe(true);
    expect(Buffer.from(crop).equals(Buffer.from(crop.slice()))).toBe(true);
  });

  it('keeps the face recognisable: structure correlates with the original, light stays plausible', () => {
    for (const v of augmentVariants(crop, 15, 7)) {
      const ref = v.kinds.includes('flip') ? mirror(crop) : crop;
      // Light, blur and noise keep >= 0.96; a rotation moves the crop's strong
      // edges (0.65-0.8) without changing the face: embeddings are checked in
      // augment-embedding.test.ts.
      const floor = v.kinds.includes('rotate') ? 0.5 : 0.9;
      expect(correlation(thumb(v.bytes), thumb(ref)), v.kinds.join('+')).toBeGreaterThan(floor);
      // Contrast is at most ±25% and brightness ±30 levels: the mean moves by < 0.25 * 140 + 30.
      expect(Math.abs(mean(v.bytes) - mean(crop)), v.kinds.join('+')).toBeLessThan(65);
    }
  });

  it('is deterministic for a seed and varies with it', () => {
    const a = augmentCrop(crop, 5, 99);
    const b = augmentCrop(crop, 5, 99);
    const c = augmentCrop(crop, 5, 100);
    a.forEach((v, i) => expect(Buffer.from(v).equals(Buffer.from(b[i]!))).toBe(true));
    // The flip has no parameter; every other transform draws its own.
    expect([1, 2, 3, 4].every((i) => !Buffer.from(a[i]!).equals(Buffer.from(c[i]!)))).toBe(true);
  });

  it('takes the alignedJpeg through decodeCrop, and refuses what is not a crop', async () => {
    const jpeg = await sharp(Buffer.from(swapRB(crop)), { raw: { width: 112, height: 112, channels: 3 } }).jpeg({ quality: 95 }).toBuffer();
    const decoded = await decodeCrop(jpeg);
    expect(meanAbsDiff(decoded, crop)).toBeLessThan(3);
    const fromJpeg = await augmentEncodedCrop(jpeg, 3, 5);
    const fromRaw = augmentCrop(crop, 3, 5);
    // JPEG (4:2:0 chroma) loses a little: ~2-3 grey levels on average.
    fromJpeg.forEach((v, i) => expect(meanAbsDiff(v, fromRaw[i]!)).toBeLessThan(5));
    await expect(decodeCrop(new TextEncoder().encode('not a jpeg'))).rejects.toThrow(/not a decodable image/);
    expect(() => augmentCrop(new Uint8Array([1, 2, 3, 4]), 2, 1)).toThrow(/expected a raw 112x112x3 crop/);
    expect(augmentCrop(crop, 0, 1)).toEqual([]);
    expect(() => augmentCrop(crop, -1, 1)).toThrow(RangeError);
  });

  it('is fast enough to run beside the embedder', () => {
    const t = performance.now();
    augmentCrop(crop, 20, 3);
    const perVariant = (performance.now() - t) / 20;
    // ~2-3 ms measured; the bound only catches a pathological slowdown on a busy machine.
    expect(perVariant).toBeLessThan(25);
  });
});

describe('crop operations', () => {
  const img = (w: number, h: number, f: (x: number, y: number) => number) => {
    const data = new Uint8Array(w * h * 3);
    for (let y = 0; y < h; y++) {
      for (let x = 0; x < w; x++) {
        data.fill(f(x, y), (y * w + x) * 3, (y * w + x) * 3 + 3);
      }
    }
    return { data, width: w, height: h };
  };

  it('reflects borders like OpenCV BORDER_REFLECT_101', () => {
    expect([-2, -1, 0, 4, 5, 6].map((i) => reflect101(i, 5))).toEqual([2, 1, 0, 4, 3, 2]);
  });

  it('blur keeps a flat image flat and softens an edge', () => {
    expect(new Set(gaussianBlur(img(9, 9, () => 77), 1.2).data)).toEqual(new Set([77]));
    const edge = gaussianBlur(img(9, 9, (x) => (x < 4 ? 0 : 200)), 1.2);
    const row = Array.from({ length: 9 }, (_, x) => edge.data[(4 * 9 + x) * 3]!);
    expect(row[3]! > 0 && row[3]! < 100 && row[4]! > 100 && row[4]! < 200).toBe(true);
  });

  it('rotates counter-clockwise for positive angles, about the centre', () => {
    // A bright dot above the centre ends up left of it after +90°.
    const src = img(11, 11, (x, y) => (x === 5 && y === 1 ? 255 : 0));
    const out = rotate(src, 90);
    expect(out.data[(5 * 11 + 1) * 3]).toBe(255);
    expect(out.data[(1 * 11 + 5) * 3]).toBe(0);
  });
});
