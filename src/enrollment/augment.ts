// Augmented variants of an aligned 112x112 face crop, so that the templates of
// an employee cover small changes the camera will see (mirror, light, focus,
// head tilt, sensor noise). Plain JS (crop-ops.ts), synchronous and free of
// native code, so it can run inside a face worker right before the embedder
// (or anywhere else) without touching OpenCV; about 1-2 ms per variant.
//
// Deterministic: the same crop, count and seed give the same bytes.
import { addNoise, flipHorizontal, gaussianBlur, linearTransform, rotate, type Image3 } from './crop-ops.js';
import { createRng } from '../math/seeded-random.js';

export const CROP_SIZE = 112;
export const CROP_BYTES = CROP_SIZE * CROP_SIZE * 3;

export type AugmentKind = 'flip' | 'brightness_contrast' | 'blur' | 'rotate' | 'noise';

// The first five variants use one transform each, in this order; later ones
// combine two, so every variant differs from the others and from the original.
const KINDS: readonly AugmentKind[] = ['flip', 'brightness_contrast', 'blur', 'rotate', 'noise'];

const uniform = (rnd: () => number, lo: number, hi: number): number => lo + (hi - lo) * rnd();
/** A magnitude in [lo, hi] with a random sign, so a transform is never (near) the identity. */
const signed = (rnd: () => number, lo: number, hi: number): number => (rnd() < 0.5 ? -1 : 1) * uniform(rnd, lo, hi);

/** Standard normal draws (Box-Muller) from a uniform source. */
export function gaussianSource(rnd: () => number): () => number {
  // Box-Muller gives two independent draws per pair of uniforms; keep the second.
  let spare: number | undefined;
  return () => {
    if (spare !== undefined) {
      const v = spare;
      spare = undefined;
      return v;
    }
    // 1 - rnd() avoids log(0).
    const r = Math.sqrt(-2 * Math.log(1 - rnd()));
    const a = 2 * Math.PI * rnd();
    spare = r * Math.sin(a);
    return r * Math.cos(a);
  };
}

function applyOne(src: Image3, kind: AugmentKind, rnd: () => number): Image3 {
  switch (kind) {
    case 'flip':
      // The ArcFace template is left-right symmetric (eyes at x=38.3 and 73.5),
      // so a mirrored aligned crop is still aligned.
      return flipHorizontal(src);
    case 'brightness_contrast':
      return linearTransform(src, 1 + signed(rnd, 0.1, 0.25), signed(rnd, 8, 30));
    case 'blur':
      return gaussianBlur(src, uniform(rnd, 0.8, 1.6));
    case 'rotate':
      return rotate(src, signed(rnd, 3, 8));
    case 'noise':
      return addNoise(src, uniform(rnd, 4, 10), gaussianSource(rnd));
  }
}

/** The transforms of variant `index`: one for the first five, two after that. */
export function variantKinds(index: number, rnd: () => number): AugmentKind[] {
  const primary = KINDS[index % KINDS.length] ?? 'flip';
  if (index < KINDS.length) {
    return [primary];
  }
  const others = KINDS.filter((k) => k !== primary);
  const second = others[Math.floor(rnd() * others.length)] ?? 'noise';
  // In KINDS order: geometric changes before blur/noise, as a camera would.
  return KINDS.filter((k) => k === primary || k === second);
}

export interface AugmentedVariant {
  kinds: AugmentKind[];
  /** Packed 112x112x3 bytes, same channel order as the input. */
  bytes: Uint8Array;
}

/** augmentCrop with the transforms each variant used (for logs and tests). */
export function augmentVariants(crop: Uint8Array, count: number, seed: number): AugmentedVariant[] {
  if (!Number.isInteger(count) || count < 0) {
    throw new RangeError(`augmentCrop: count must be a non-negative integer, got ${count}`);
  }
  if (crop.byteLength !== CROP_BYTES) {
    throw new RangeError(
      `augmentCrop: expected a raw 112x112x3 crop (${CROP_BYTES} bytes), got ${crop.byteLength} bytes; decode a JPEG first (decodeCrop)`,
    );
  }
  const rnd = createRng(seed);
  const base: Image3 = { data: crop, width: CROP_SIZE, height: CROP_SIZE };
  const out: AugmentedVariant[] = [];
  for (let i = 0; i < count; i++) {
    const kinds = variantKinds(i, rnd);
    const img = kinds.reduce((acc, kind) => applyOne(acc, kind, rnd), base);
    out.push({ kinds, bytes: img.data });
  }
  return out;
}

/**
 * `count` augmented variants of one aligned crop given as packed BGR
 * 112x112x3 bytes (37,632), each returned in the same layout, ready for
 * FaceEngine.embedAligned / FacePipeline.embedAligned without an encode.
 */
export function augmentCrop(crop: Uint8Array, count: number, seed: number): Uint8Array[] {
  return augmentVariants(crop, count, seed).map((v) => v.bytes);
}
