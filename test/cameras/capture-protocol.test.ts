import { describe, expect, it } from 'vitest';
import { CaptureRecordDecoder, encodeRecord, type FrameHeader } from '../../src/cameras/capture-protocol.js';

function frame(n: number, size: number): { header: FrameHeader; pixels: Buffer } {
  const pixels = Buffer.alloc(size, n);
  return {
    header: { type: 'frame', frameNumber: n, capturedAt: 1000 + n, mediaTimeMs: n * 40, rows: 1, cols: size / 3, byteLength: size, skipped: 0 },
    pixels,
  };
}

describe('CaptureRecordDecoder', () => {
  const stream = Buffer.concat([
    encodeRecord({ type: 'opening', attempt: 0 }),
    encodeRecord({ type: 'opened', width: 4, height: 1, fps: 25, frameCount: null }),
    ...[1, 2, 3].flatMap((n) => {
      const f = frame(n, 300_000);
      return [encodeRecord(f.header), f.pixels];
    }),
    encodeRecord({ type: 'ended', frames: 3 }),
  ]);

  for (const chunkSize of [1, 7, 4096, 65536, 1_000_000]) {
    it(`splits a stream cut into ${chunkSize}-byte chunks back into records`, () => {
      const decoder = new CaptureRecordDecoder();
      const records = [];
      for (let at = 0; at < stream.length; at += chunkSize) {
        records.push(...decoder.push(stream.subarray(at, at + chunkSize)));
      }
      expect(records.map((r) => r.event.type)).toEqual(['opening', 'opened', 'frame', 'frame', 'frame', 'ended']);
      const frames = records.filter((r) => 'payload' in r);
      frames.forEach((r, i) => {
        expect(r.event).toMatchObject({ frameNumber: i + 1, byteLength: 300_000 });
        expect(r.payload.byteLength).toBe(300_000);
        expect(r.payload.every((b) => b === i + 1)).toBe(true);
        // The payload owns its buffer, so the engine can transfer it safely.
        expect(r.payload.buffer.byteLength).toBe(300_000);
      });
    });
  }
});
