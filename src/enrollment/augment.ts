// Augmented variants of an aligned 112x112 face crop, so that the templates of
// an employee cover small changes the camera will see (mirror, light, focus,
// head tilt, sensor noise). Runs INSIDE the face worker (synchronous OpenCV),
// right before embedAligned, which is why the cv module is an argument:
// nothing here loads native code or touches the event loop's thread.
//
// Deterministic: the same crop, count and seed give the same bytes.
import type { cv as CvNamespace, Mat } from '@u4/opencv4nodejs';

export type OpenCv = typeof CvNamespace;

export const CROP_SIZE = 112;
export const CROP_BYTES = CROP_SIZE * CROP_SIZE * 3;

export type AugmentKind = 'flip' | 'brightness_contrast' | 'blur' | 'rotate' | 'noise';

// The first five variants use one transform each, in this order; later ones
// combine two, so every variant differs from the others and from the original.
const KINDS: readonly AugmentKind[] = ['flip', 'brightness_contrast', 'blur', 'rotate', 'noise'];

/** mulberry32: a tiny seeded PRNG, enough for picking augmentation parameters. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const uniform = (rnd: () => number, lo: number, hi: number): number => lo + (hi - lo) * rnd();
/** A magnitude in [lo, hi] with a random sign, so a transform is never (near) the identity. */
const signed = (rnd: () => number, lo: number, hi: number): number => (rnd() < 0.5 ? -1 : 1) * uniform(rnd, lo, hi);

function gaussian(rnd: () => number): number {
  // Box-Muller; 1 - rnd() avoids log(0).
  return Math.sqrt(-2 * Math.log(1 - rnd())) * Math.cos(2 * Math.PI * rnd());
}

function applyOne(cv: OpenCv, src: Mat, kind: AugmentKind, rnd: () => number): Mat {
  switch (kind) {
    case 'flip':
      // The ArcFace template is left-right symmetric (eyes at x=38.3 and 73.5),
      // so a mirrored aligned crop is still aligned.
      return src.flip(1);
    case 'brightness_contrast':
      return src.convertTo(cv.CV_8UC3, 1 + signed(rnd, 0.1, 0.25), signed(rnd, 8, 30));
    case 'blur': {
      const sigma = uniform(rnd, 0.8, 1.6);
      return src.gaussianBlur(new cv.Size(5, 5), sigma);
    }
    case 'rotate': {
      const angle = signed(rnd, 3, 8);
      const m = cv.getRotationMatrix2D(new cv.Point2(CROP_SIZE / 2, CROP_SIZE / 2), angle, 1);
      // Reflected borders instead of black corners, which the embedder never sees in real crops.
      const out = src.warpAffine(m, new cv.Size(CROP_SIZE, CROP_SIZE), cv.INTER_LINEAR, cv.BORDER_REFLECT_101);
      m.release();
      return out;
    }
    case 'noise': {
      const sigma = uniform(rnd, 4, 10);
      const data = new Uint8Array(src.getData());
      for (let i = 0; i < data.length; i++) {
        const v = (data[i] ?? 0) + sigma * gaussian(rnd);
        data[i] = v < 0 ? 0 : v > 255 ? 255 : Math.round(v);
      }
      return new cv.Mat(Buffer.from(data.buffer, data.byteOffset, data.byteLength), src.rows, src.cols, cv.CV_8UC3);
    }
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
  // Apply geometric transforms first so noise/blur are not rotated afterwards.
  return KINDS.filter((k) => k === primary || k === second);
}

/** Decodes a raw BGR 112x112 buffer or an encoded image (JPEG/PNG) into a 112x112 BGR Mat. */
export function cropToMat(cv: OpenCv, crop: Uint8Array): Mat {
  const buf = Buffer.from(crop.buffer, crop.byteOffset, crop.byteLength);
  if (crop.byteLength === CROP_BYTES) {
    return new cv.Mat(buf, CROP_SIZE, CROP_SIZE, cv.CV_8UC3);
  }
  let decoded: Mat;
  try {
    decoded = cv.imdecode(buf, cv.IMREAD_COLOR);
  } catch {
    throw new Error('augmentCrop: crop is neither raw 112x112 BGR nor a decodable image');
  }
  if (decoded.empty) {
    throw new Error('augmentCrop: crop is neither raw 112x112 BGR nor a decodable image');
  }
  if (decoded.rows === CROP_SIZE && decoded.cols === CROP_SIZE) {
    return decoded;
  }
  // Not an aligned crop size: scale it so the embedder gets what it expects.
  const resized = decoded.resize(CROP_SIZE, CROP_SIZE, 0, 0, cv.INTER_AREA);
  decoded.release();
  return resized;
}

export interface AugmentedVariant {
  kinds: AugmentKind[];
  /** Raw packed BGR, 112x112x3. */
  bytes: Uint8Array;
}

/** augmentCrop with the transforms each variant used (for logs and tests). */
export function augmentVariants(cv: OpenCv, crop: Uint8Array, count: number, seed: number): AugmentedVariant[] {
  if (!Number.isInteger(count) || count < 0) {
    throw new RangeError(`augmentCrop: count must be a non-negative integer, got ${count}`);
  }
  if (count === 0) {
    return [];
  }
  const rnd = seededRandom(seed);
  const base = cropToMat(cv, crop);
  const out: AugmentedVariant[] = [];
  try {
    for (let i = 0; i < count; i++) {
      const kinds = variantKinds(i, rnd);
      let current = base;
      for (const kind of kinds) {
        const next = applyOne(cv, current, kind, rnd);
        if (current !== base) {
          current.release();
        }
        current = next;
      }
      out.push({ kinds, bytes: new Uint8Array(current.getData()) });
      if (current !== base) {
        current.release();
      }
    }
  } finally {
    base.release();
  }
  return out;
}

/**
 * `count` augmented variants of one aligned crop, each raw packed BGR
 * 112x112x3 (37,632 bytes), ready for the embedder without an encode/decode.
 * `crop` is raw BGR 112x112x3 or a JPEG/PNG of the aligned crop (alignedJpeg).
 * Call it inside the face worker with that worker's cv module, e.g.
 * `pipeline.embedAligned(augmentCrop(cv, face.alignedJpeg, AUGMENTATION_COUNT, seed))`.
 */
export function augmentCrop(cv: OpenCv, crop: Uint8Array, count: number, seed: number): Uint8Array[] {
  return augmentVariants(cv, crop, count, seed).map((v) => v.bytes);
}
