// Augmentation on a real face crop with real OpenCV: pixel-level checks (the
// embedding-level check is in augment-embedding.test.ts).
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CROP_BYTES, augmentCrop, augmentVariants } from '../../src/enrollment/augment.js';
import { cv } from '../../src/vision/opencv.js';

const FACES = resolve(process.cwd(), '../shared/faces');

/** The face of obama-1.jpg (the detector's box, squared by height) as a raw 112x112 BGR crop. */
function realCrop(): Uint8Array {
  const img = cv.imdecode(readFileSync(resolve(FACES, 'people/obama/obama-1.jpg')));
  const side = 413 - 79;
  const x = Math.round((380 + 607) / 2 - side / 2);
  const face = img.getRegion(new cv.Rect(x, 79, side, side)).resize(112, 112, 0, 0, cv.INTER_AREA);
  return new Uint8Array(face.getData());
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

function mean(a: Uint8Array): number {
  return a.reduce((s, v) => s + v, 0) / a.length;
}

/** Grey 28x28 thumbnail: compares face structure, not pixel noise or sub-pixel shifts. */
function thumb(raw: Uint8Array): Uint8Array {
  const m = new cv.Mat(Buffer.from(raw), 112, 112, cv.CV_8UC3).cvtColor(cv.COLOR_BGR2GRAY).resize(28, 28, 0, 0, cv.INTER_AREA);
  return new Uint8Array(m.getData());
}

function correlation(a: Uint8Array, b: Uint8Array): number {
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

describe('augmentCrop', () => {
  const crop = realCrop();

  it('makes `count` distinct 112x112 BGR crops', () => {
    const out = augmentCrop(cv, crop, 12, 42);
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

  it('uses flip, brightness/contrast, blur, rotation and noise, and the flip is an exact mirror', () => {
    const vs = augmentVariants(cv, crop, 5, 1);
    expect(vs.map((v) => v.kinds)).toEqual([['flip'], ['brightness_contrast'], ['blur'], ['rotate'], ['noise']]);
    expect(Buffer.from(vs[0]!.bytes).equals(Buffer.from(mirror(crop)))).toBe(true);
  });

  it('keeps the face recognisable: structure correlates with the original, light stays plausible', () => {
    for (const v of augmentVariants(cv, crop, 15, 7)) {
      const ref = v.kinds.includes('flip') ? mirror(crop) : crop;
      // Measured: light/blur/noise >= 0.96; a rotation 0.65-0.8 (edges move, the
      // face does not change): the embedding check is in augment-embedding.test.ts.
      const floor = v.kinds.includes('rotate') ? 0.5 : 0.9;
      expect(correlation(thumb(v.bytes), thumb(ref)), v.kinds.join('+')).toBeGreaterThan(floor);
      expect(Math.abs(mean(v.bytes) - mean(crop)), v.kinds.join('+')).toBeLessThan(45);
    }
  });

  it('is deterministic for a seed and varies with it', () => {
    const a = augmentCrop(cv, crop, 5, 99);
    const b = augmentCrop(cv, crop, 5, 99);
    const c = augmentCrop(cv, crop, 5, 100);
    a.forEach((v, i) => expect(Buffer.from(v).equals(Buffer.from(b[i]!))).toBe(true));
    // The flip has no parameter; every other transform draws its own.
    expect([1, 2, 3, 4].every((i) => !Buffer.from(a[i]!).equals(Buffer.from(c[i]!)))).toBe(true);
  });

  it('accepts the aligned crop as JPEG, and refuses bytes that are neither', () => {
    const jpeg = new Uint8Array(cv.imencode('.jpg', new cv.Mat(Buffer.from(crop), 112, 112, cv.CV_8UC3), [cv.IMWRITE_JPEG_QUALITY, 95]));
    const fromJpeg = augmentCrop(cv, jpeg, 3, 5);
    const fromRaw = augmentCrop(cv, crop, 3, 5);
    expect(fromJpeg.every((v) => v.byteLength === CROP_BYTES)).toBe(true);
    fromJpeg.forEach((v, i) => expect(meanAbsDiff(v, fromRaw[i]!)).toBeLessThan(3));
    expect(() => augmentCrop(cv, new Uint8Array([1, 2, 3, 4]), 2, 1)).toThrow(/neither raw 112x112 BGR nor a decodable image/);
    expect(augmentCrop(cv, crop, 0, 1)).toEqual([]);
    expect(() => augmentCrop(cv, crop, -1, 1)).toThrow(RangeError);
  });
});
