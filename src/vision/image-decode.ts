// Encoded bytes -> RGB raster, refusing bad or oversized input with typed
// errors. sharp (libvips) decodes: it is thread-safe, unlike the OpenCV addon
// (see raster.ts).
import sharp from 'sharp';
import { ImageDecodeError } from './image-errors.js';
import { readImageHeader } from './image-header.js';
import type { Raster } from './raster.js';

/**
 * Checks the header (format, completeness, pixel count <= maxPixels) before
 * decoding, then decodes with the EXIF orientation applied (phone photos come
 * out upright; width/height may be swapped relative to the header).
 */
export async function decodeImage(bytes: Uint8Array, maxPixels: number): Promise<Raster> {
  const header = readImageHeader(bytes);
  if (!header.ok) {
    throw new ImageDecodeError('INVALID_IMAGE', `invalid image: ${header.reason}`, { bytes: bytes.length });
  }
  const { width, height } = header;
  if (width <= 0 || height <= 0) {
    throw new ImageDecodeError('INVALID_IMAGE', `invalid image: ${width}x${height}`, { width, height });
  }
  if (width * height > maxPixels) {
    throw new ImageDecodeError(
      'IMAGE_TOO_LARGE',
      `image is ${width}x${height} (${width * height} pixels), above the limit of ${maxPixels}`,
      { width, height, maxPixels },
    );
  }
  try {
    const { data, info } = await sharp(bytes, { limitInputPixels: maxPixels, failOn: 'truncated' })
      .rotate()
      .removeAlpha()
      .toColourspace('srgb')
      .raw()
      .toBuffer({ resolveWithObject: true });
    if (info.channels !== 3) {
      throw new Error(`decoded to ${info.channels} channels`);
    }
    return { data: new Uint8Array(data.buffer, data.byteOffset, data.byteLength), width: info.width, height: info.height, order: 'rgb' };
  } catch (err) {
    throw new ImageDecodeError('INVALID_IMAGE', `invalid ${header.format} image: ${(err as Error).message}`, {
      bytes: bytes.length,
    });
  }
}

/** Wraps a packed BGR frame (camera) without copying. */
export function rasterFromBgr(data: Uint8Array, rows: number, cols: number): Raster {
  if (rows <= 0 || cols <= 0 || data.byteLength !== rows * cols * 3) {
    throw new ImageDecodeError('INVALID_IMAGE', `raw frame: ${data.byteLength} bytes is not ${rows}x${cols}x3`, {
      bytes: data.byteLength,
    });
  }
  return { data, width: cols, height: rows, order: 'bgr' };
}

export async function encodeJpeg(src: Raster, quality = 95): Promise<Uint8Array> {
  let data = src.data;
  if (src.order === 'bgr') {
    data = new Uint8Array(data.length);
    for (let j = 0; j < data.length; j += 3) {
      data[j] = src.data[j + 2]!;
      data[j + 1] = src.data[j + 1]!;
      data[j + 2] = src.data[j]!;
    }
  }
  const out = await sharp(data, { raw: { width: src.width, height: src.height, channels: 3 } }).jpeg({ quality }).toBuffer();
  return new Uint8Array(out.buffer, out.byteOffset, out.byteLength);
}
