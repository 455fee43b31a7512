// Aligned crops arrive as JPEG (DetectedFace.alignedJpeg); augmentation works
// on packed BGR bytes. sharp (N-API, thread-safe) decodes them, in a worker or
// on the main thread alike; it runs in libvips' own threads, off the event loop.
import sharp from 'sharp';
import { CROP_BYTES, CROP_SIZE, augmentCrop } from './augment.js';

/** JPEG/PNG/WebP of an aligned crop -> packed BGR 112x112x3 (resized if it is another size). */
export async function decodeCrop(encoded: Uint8Array): Promise<Uint8Array> {
  let raw: { data: Buffer; info: { width: number; height: number; channels: number } };
  try {
    let img = sharp(encoded, { failOn: 'error' }).removeAlpha().toColourspace('srgb');
    const meta = await img.metadata();
    if (meta.width !== CROP_SIZE || meta.height !== CROP_SIZE) {
      img = img.resize(CROP_SIZE, CROP_SIZE, { fit: 'fill' });
    }
    raw = await img.raw().toBuffer({ resolveWithObject: true });
  } catch (err) {
    throw new Error(`decodeCrop: not a decodable image (${(err as Error).message})`, { cause: err });
  }
  if (raw.info.channels !== 3 || raw.data.byteLength !== CROP_BYTES) {
    throw new Error(`decodeCrop: decoded to ${raw.info.width}x${raw.info.height}x${raw.info.channels}, expected 112x112x3`);
  }
  // sharp gives RGB; the embedder's crops are BGR.
  const bgr = new Uint8Array(CROP_BYTES);
  for (let i = 0; i < CROP_BYTES; i += 3) {
    bgr[i] = raw.data[i + 2]!;
    bgr[i + 1] = raw.data[i + 1]!;
    bgr[i + 2] = raw.data[i]!;
  }
  return bgr;
}

/** decodeCrop + augmentCrop: the variants of a face's alignedJpeg. */
export async function augmentEncodedCrop(encoded: Uint8Array, count: number, seed: number): Promise<Uint8Array[]> {
  return augmentCrop(await decodeCrop(encoded), count, seed);
}
