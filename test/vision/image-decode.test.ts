// Bad input must give typed errors, never a crash or a huge allocation.
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { decodeImage, rasterFromBgr } from '../../src/vision/image-decode.js';
import { ImageDecodeError } from '../../src/vision/image-errors.js';
import { readImageHeader } from '../../src/vision/image-header.js';
import { readFace } from './helpers/faces.js';

const MAX = 40_000_000;
const jpeg = readFace('probes/obama-small.jpg');

async function expectDecodeError(bytes: Uint8Array, code: 'INVALID_IMAGE' | 'IMAGE_TOO_LARGE', message?: RegExp): Promise<void> {
  try {
    await decodeImage(bytes, MAX);
  } catch (err) {
    expect(err).toBeInstanceOf(ImageDecodeError);
    expect((err as ImageDecodeError).code).toBe(code);
    if (message) {expect((err as Error).message).toMatch(message);}
    return;
  }
  throw new Error('expected an ImageDecodeError');
}

/** A PNG signature + IHDR claiming width x height, then IEND: no pixel data at all. */
function pngHeader(width: number, height: number): Uint8Array {
  const b = Buffer.alloc(8 + 25 + 12);
  Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]).copy(b, 0);
  b.writeUInt32BE(13, 8);
  b.write('IHDR', 12, 'ascii');
  b.writeUInt32BE(width, 16);
  b.writeUInt32BE(height, 20);
  b.set([8, 2, 0, 0, 0], 24);
  b.writeUInt32BE(0, 33);
  b.write('IEND', 37, 'ascii');
  return b;
}

/** A real JPEG whose SOF0 frame header is rewritten to claim width x height. */
function jpegClaiming(width: number, height: number): Uint8Array {
  const b = Buffer.from(jpeg);
  for (let i = 2; i < b.length - 9; i++) {
    if (b[i] === 0xff && b[i + 1]! >= 0xc0 && b[i + 1]! <= 0xc2) {
      b.writeUInt16BE(height, i + 5);
      b.writeUInt16BE(width, i + 7);
      return b;
    }
  }
  throw new Error('no SOF marker in the fixture');
}

describe('decodeImage', () => {
  it('decodes JPEG, PNG and WebP to RGB rasters of the right size', async () => {
    const img = await decodeImage(jpeg, MAX);
    expect([img.width, img.height, img.data.length, img.order]).toEqual([320, 240, 320 * 240 * 3, 'rgb']);
    for (const encoded of [await sharp(jpeg).png().toBuffer(), await sharp(jpeg).webp().toBuffer()]) {
      const header = readImageHeader(encoded);
      expect(header).toMatchObject({ ok: true, width: 320, height: 240 });
      const back = await decodeImage(encoded, MAX);
      expect([back.width, back.height]).toEqual([320, 240]);
    }
  });

  it('applies the EXIF orientation', async () => {
    // Orientation 6 = rotate 90 degrees clockwise to display: 320x240 becomes 240x320.
    const rotated = await sharp(jpeg).withMetadata({ orientation: 6 }).jpeg().toBuffer();
    const img = await decodeImage(rotated, MAX);
    expect([img.width, img.height]).toEqual([240, 320]);
  });

  it('turns greyscale and alpha images into 3 channels', async () => {
    const g = await decodeImage(await sharp(jpeg).greyscale().png().toBuffer(), MAX);
    expect(g.data.length).toBe(320 * 240 * 3);
    const a = await decodeImage(await sharp(jpeg).ensureAlpha().png().toBuffer(), MAX);
    expect(a.data.length).toBe(320 * 240 * 3);
  });

  it('rejects zero bytes', async () => expectDecodeError(new Uint8Array(0), 'INVALID_IMAGE', /empty/));

  it('rejects a text file', async () =>
    expectDecodeError(new TextEncoder().encode('name,role\nalice,admin\n'), 'INVALID_IMAGE', /not a JPEG, PNG or WebP/));

  it('rejects a truncated JPEG', async () => {
    await expectDecodeError(jpeg.subarray(0, Math.floor(jpeg.length * 0.6)), 'INVALID_IMAGE', /truncated/);
    await expectDecodeError(jpeg.subarray(0, 40), 'INVALID_IMAGE');
  });

  it('rejects a truncated PNG', async () => {
    const png = await sharp(jpeg).png().toBuffer();
    await expectDecodeError(png.subarray(0, png.length - 100), 'INVALID_IMAGE', /truncated PNG/);
  });

  it('rejects a JPEG whose scan data is corrupt even though it ends properly', async () => {
    const bad = Buffer.from(jpeg);
    bad.fill(0xff, Math.floor(bad.length / 2), Math.floor(bad.length / 2) + 2000);
    // libjpeg may still decode garbage; the guarantee is a typed error or an image, never a crash.
    const result = await decodeImage(bad, MAX).then(
      (img) => img.width,
      (err: unknown) => (err as ImageDecodeError).code,
    );
    expect([320, 'INVALID_IMAGE']).toContain(result);
  });

  it('refuses a PNG header claiming 20000x20000 before decoding', async () =>
    expectDecodeError(pngHeader(20_000, 20_000), 'IMAGE_TOO_LARGE', /20000x20000/));

  it('refuses a JPEG header claiming 20000x20000 before decoding', async () => {
    const err = await (async () => {
      try {
        await decodeImage(jpegClaiming(20_000, 20_000), MAX);
      } catch (e) {
        return e as ImageDecodeError;
      }
      throw new Error('expected an error');
    })();
    expect(err.code).toBe('IMAGE_TOO_LARGE');
    expect(err.status).toBe(413);
    expect(err.details).toMatchObject({ width: 20_000, height: 20_000, maxPixels: MAX });
  });

  it('honours MAX_IMAGE_PIXELS for real images', async () => {
    await expect(decodeImage(jpeg, 320 * 240 - 1)).rejects.toBeInstanceOf(ImageDecodeError);
    expect((await decodeImage(jpeg, 320 * 240)).width).toBe(320);
  });

  it('checks raw frame sizes', () => {
    expect(() => rasterFromBgr(new Uint8Array(10), 2, 2)).toThrow(ImageDecodeError);
    expect(rasterFromBgr(new Uint8Array(12), 2, 2).width).toBe(2);
  });

  it('reads lossy, lossless and extended WebP headers', async () => {
    for (const encoded of [
      await sharp(jpeg).webp().toBuffer(),
      await sharp(jpeg).webp({ lossless: true }).toBuffer(),
      await sharp(jpeg).ensureAlpha(0.5).webp().toBuffer(),
    ]) {
      expect(readImageHeader(encoded)).toMatchObject({ ok: true, format: 'webp', width: 320, height: 240 });
    }
  });
});
