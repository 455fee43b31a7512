// Encoded bytes -> BGR Mat, refusing bad or oversized input with typed errors.
import { cv, type Mat } from './opencv.js';
import { ImageDecodeError } from './image-errors.js';
import { readImageHeader } from './image-header.js';

/**
 * Checks the header (format, completeness, pixel count <= maxPixels) before
 * decoding. IMREAD_COLOR applies the EXIF orientation, so phone photos come out
 * upright (width/height may then be swapped relative to the header).
 */
export function decodeImage(bytes: Uint8Array, maxPixels: number): Mat {
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
  let mat: Mat;
  try {
    mat = cv.imdecode(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength), cv.IMREAD_COLOR);
  } catch (err) {
    throw new ImageDecodeError('INVALID_IMAGE', `invalid ${header.format} image: ${(err as Error).message}`, {
      bytes: bytes.length,
    });
  }
  if (mat.empty || mat.rows === 0 || mat.cols === 0) {
    throw new ImageDecodeError('INVALID_IMAGE', `invalid ${header.format} image: could not be decoded`, {
      bytes: bytes.length,
    });
  }
  return mat;
}

/** Wraps a packed BGR frame (camera) as a Mat without copying. */
export function matFromBgr(data: Uint8Array, rows: number, cols: number): Mat {
  if (rows <= 0 || cols <= 0 || data.byteLength !== rows * cols * 3) {
    throw new ImageDecodeError('INVALID_IMAGE', `raw frame: ${data.byteLength} bytes is not ${rows}x${cols}x3`, {
      bytes: data.byteLength,
    });
  }
  return new cv.Mat(Buffer.from(data.buffer, data.byteOffset, data.byteLength), rows, cols, cv.CV_8UC3);
}
