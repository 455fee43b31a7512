// Reads the pixel size and completeness of a JPEG, PNG or WebP from its bytes,
// without decoding, so an oversized image (a "decompression bomb" header
// claiming 20000x20000) is refused before OpenCV allocates anything.

export type ImageFormat = 'jpeg' | 'png' | 'webp';

export type HeaderResult =
  | { ok: true; format: ImageFormat; width: number; height: number }
  | { ok: false; reason: string };

function u16be(b: Uint8Array, o: number): number {
  return (b[o]! << 8) | b[o + 1]!;
}
function u32be(b: Uint8Array, o: number): number {
  return ((b[o]! << 24) >>> 0) + (b[o + 1]! << 16) + (b[o + 2]! << 8) + b[o + 3]!;
}
function u32le(b: Uint8Array, o: number): number {
  return b[o]! + (b[o + 1]! << 8) + (b[o + 2]! << 16) + ((b[o + 3]! << 24) >>> 0);
}
function ascii(b: Uint8Array, o: number, n: number): string {
  return String.fromCharCode(...b.subarray(o, o + n));
}

function jpeg(b: Uint8Array): HeaderResult {
  let o = 2;
  let size: { width: number; height: number } | undefined;
  while (o + 4 <= b.length) {
    if (b[o] !== 0xff) {
      return { ok: false, reason: `corrupt JPEG: no marker at byte ${o}` };
    }
    const marker = b[o + 1]!;
    if (marker === 0xff) {
      o++; // fill byte
      continue;
    }
    if (marker === 0x01 || (marker >= 0xd0 && marker <= 0xd7)) {
      o += 2; // markers without a length
      continue;
    }
    const len = u16be(b, o + 2);
    if (len < 2) {
      return { ok: false, reason: 'corrupt JPEG: bad segment length' };
    }
    const isSof = marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc;
    if (isSof) {
      if (o + 9 > b.length) {
        break;
      }
      size = { height: u16be(b, o + 5), width: u16be(b, o + 7) };
    }
    if (marker === 0xda) {
      // Start of scan: entropy-coded data follows. 0xFF 0xD9 cannot occur inside
      // it (0xFF is stuffed as 0xFF 0x00), so a missing EOI means a truncated file.
      if (!size) {
        return { ok: false, reason: 'corrupt JPEG: scan before frame header' };
      }
      let eoi = -1;
      for (let i = b.length - 2; i > o; i--) {
        if (b[i] === 0xff && b[i + 1] === 0xd9) {
          eoi = i;
          break;
        }
      }
      if (eoi < 0) {
        return { ok: false, reason: 'truncated JPEG: no end-of-image marker' };
      }
      return { ok: true, format: 'jpeg', ...size };
    }
    o += 2 + len;
  }
  return { ok: false, reason: 'truncated JPEG: ends before the image data' };
}

const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

function png(b: Uint8Array): HeaderResult {
  if (b.length < 33 || ascii(b, 12, 4) !== 'IHDR') {
    return { ok: false, reason: 'corrupt PNG: no IHDR chunk' };
  }
  const width = u32be(b, 16);
  const height = u32be(b, 20);
  // The last chunk must be IEND (4-byte length, 'IEND', 4-byte CRC).
  if (b.length < 12 || ascii(b, b.length - 8, 4) !== 'IEND') {
    return { ok: false, reason: 'truncated PNG: no IEND chunk' };
  }
  return { ok: true, format: 'png', width, height };
}

function webp(b: Uint8Array): HeaderResult {
  if (b.length < 30) {
    return { ok: false, reason: 'truncated WebP header' };
  }
  if (8 + u32le(b, 4) > b.length) {
    return { ok: false, reason: 'truncated WebP: RIFF size exceeds the data' };
  }
  const chunk = ascii(b, 12, 4);
  if (chunk === 'VP8 ') {
    return { ok: true, format: 'webp', width: (b[26]! | (b[27]! << 8)) & 0x3fff, height: (b[28]! | (b[29]! << 8)) & 0x3fff };
  }
  if (chunk === 'VP8L') {
    const bits = u32le(b, 21);
    return { ok: true, format: 'webp', width: (bits & 0x3fff) + 1, height: ((bits >>> 14) & 0x3fff) + 1 };
  }
  if (chunk === 'VP8X') {
    const w = b[24]! | (b[25]! << 8) | (b[26]! << 16);
    const h = b[27]! | (b[28]! << 8) | (b[29]! << 16);
    return { ok: true, format: 'webp', width: w + 1, height: h + 1 };
  }
  return { ok: false, reason: `unsupported WebP chunk "${chunk}"` };
}

export function readImageHeader(bytes: Uint8Array): HeaderResult {
  if (bytes.length === 0) {
    return { ok: false, reason: 'empty image (0 bytes)' };
  }
  if (bytes.length >= 3 && bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff) {
    return jpeg(bytes);
  }
  if (bytes.length >= 8 && PNG_SIGNATURE.every((v, i) => bytes[i] === v)) {
    return png(bytes);
  }
  if (bytes.length >= 12 && ascii(bytes, 0, 4) === 'RIFF' && ascii(bytes, 8, 4) === 'WEBP') {
    return webp(bytes);
  }
  return { ok: false, reason: 'not a JPEG, PNG or WebP image' };
}
