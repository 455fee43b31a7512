// Frames and photos arrive as base64 in JSON and GraphQL. Strict decoding:
// Buffer.from(s, 'base64') silently skips junk, so a wrong field would reach
// the engine as garbage; here it is a 422 naming the field. A data: URL
// prefix (what a browser's canvas.toDataURL gives) is accepted.
import { PayloadTooLargeError, ValidationError } from '../domain/errors.js';

const DATA_URL = /^data:[\w.+/-]+;base64,/;
const BASE64 = /^[A-Za-z0-9+/\-_]*={0,2}$/;

export function decodeBase64Image(value: string, field: (string | number)[], maxBytes: number): Uint8Array {
  const body = value.replace(DATA_URL, '').replace(/\s+/g, '');
  // 4 characters carry 3 bytes: refuse before allocating anything big.
  if (Math.floor((body.length * 3) / 4) > maxBytes) {
    throw new PayloadTooLargeError(`${field.join('.')}: image larger than ${maxBytes} bytes`);
  }
  if (body.length === 0 || body.length % 4 === 1 || !BASE64.test(body)) {
    throw new ValidationError([{ path: field, message: 'must be a base64-encoded JPEG or PNG image' }]);
  }
  const buf = Buffer.from(body, body.includes('-') || body.includes('_') ? 'base64url' : 'base64');
  return new Uint8Array(buf.buffer, buf.byteOffset, buf.byteLength);
}
