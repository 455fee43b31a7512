// Task and result messages of the queue engine as one Buffer: a JSON header
// with every Uint8Array / Float32Array cut out into a binary tail, so a
// 640x480 camera frame costs its 921,600 bytes in Redis, not 1.2 MB of base64,
// and an embedding comes back bit for bit. Plain JSON otherwise (no Node- or
// V8-version-specific format), so workers on other machines can read it.
//
//   [u32 LE: header length][header JSON][blob 0][blob 1]...
//   header: { v: <value with {"$b": i, "$t": "u8"|"f32"} in place of arrays>, b: [[offset, length], ...] }

type Placeholder = { $b: number; $t: 'u8' | 'f32' };

export function encodeMessage(value: unknown): Buffer {
  const blobs: Buffer[] = [];
  const spans: [number, number][] = [];
  let offset = 0;
  const cut = (view: Uint8Array | Float32Array, type: Placeholder['$t']): Placeholder => {
    const bytes = Buffer.from(view.buffer, view.byteOffset, view.byteLength);
    blobs.push(bytes);
    spans.push([offset, bytes.length]);
    offset += bytes.length;
    return { $b: blobs.length - 1, $t: type };
  };
  const walk = (v: unknown): unknown => {
    if (v instanceof Float32Array) {
      return cut(v, 'f32');
    }
    if (v instanceof Uint8Array) {
      return cut(v, 'u8');
    }
    if (Array.isArray(v)) {
      return v.map(walk);
    }
    if (v !== null && typeof v === 'object') {
      if (ArrayBuffer.isView(v)) {
        throw new TypeError(`cannot encode a ${v.constructor.name}`);
      }
      return Object.fromEntries(Object.entries(v).flatMap(([k, x]) => (x === undefined ? [] : [[k, walk(x)]])));
    }
    return v;
  };
  const header = Buffer.from(JSON.stringify({ v: walk(value), b: spans }), 'utf8');
  const length = Buffer.alloc(4);
  length.writeUInt32LE(header.length, 0);
  return Buffer.concat([length, header, ...blobs]);
}

export function decodeMessage<T>(message: Buffer): T {
  if (message.length < 4) {
    throw new RangeError('queue message too short');
  }
  const headerLength = message.readUInt32LE(0);
  const { v, b } = JSON.parse(message.subarray(4, 4 + headerLength).toString('utf8')) as { v: unknown; b: [number, number][] };
  const tail = 4 + headerLength;
  const blob = (p: Placeholder): Uint8Array | Float32Array => {
    const span = b[p.$b];
    if (span === undefined) {
      throw new RangeError(`queue message names blob ${p.$b} it does not hold`);
    }
    const [start, length] = span;
    // A copy with its own ArrayBuffer: aligned for Float32Array, and safe to transfer.
    const own = new Uint8Array(length);
    own.set(message.subarray(tail + start, tail + start + length));
    return p.$t === 'f32' ? new Float32Array(own.buffer) : own;
  };
  const walk = (x: unknown): unknown => {
    if (Array.isArray(x)) {
      return x.map(walk);
    }
    if (x !== null && typeof x === 'object') {
      const o = x as Record<string, unknown>;
      if (typeof o.$b === 'number' && (o.$t === 'u8' || o.$t === 'f32')) {
        return blob(o as Placeholder);
      }
      return Object.fromEntries(Object.entries(o).map(([k, y]) => [k, walk(y)]));
    }
    return x;
  };
  return walk(v) as T;
}
