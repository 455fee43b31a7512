// The queue engine's wire format: typed arrays come back bit for bit (as
// their own aligned buffers), everything else as JSON would; bad input is a
// clear error. And the failure mapping gives callers the local engine's errors.
import { describe, expect, it } from 'vitest';
import { PayloadTooLargeError, UnavailableError } from '../../../src/domain/errors.js';
import { EngineBusyError, InvalidImageError } from '../../../src/engine/engine-errors.js';
import { decodeMessage, encodeMessage } from '../../../src/engine/queue/binary-codec.js';
import { errorFromFailure, failureFromError, isRetryable } from '../../../src/engine/queue/queue-errors.js';

describe('binary codec', () => {
  it('round-trips typed arrays exactly, nested in objects and arrays', () => {
    const embedding = new Float32Array([0.1, -2.5, Math.PI, Number.MIN_VALUE, -0]);
    // A view into the middle of a larger buffer must not drag the rest along.
    const backing = new Uint8Array(64).map((_, i) => i);
    const crop = backing.subarray(3, 11);
    const value = { kind: 'analyze', faces: [{ embedding, alignedJpeg: crop, box: [1, 2, 3, 4], score: 0.97 }], none: null, skip: undefined };
    const message = encodeMessage(value);
    const back = decodeMessage<typeof value>(message);
    expect(back.faces[0]!.embedding).toBeInstanceOf(Float32Array);
    expect([...back.faces[0]!.embedding]).toEqual([...embedding]);
    expect(Object.is(back.faces[0]!.embedding[4], -0)).toBe(true);
    expect([...back.faces[0]!.alignedJpeg]).toEqual([3, 4, 5, 6, 7, 8, 9, 10]);
    expect(back.faces[0]!.alignedJpeg.buffer.byteLength).toBe(8);
    expect(back).toMatchObject({ kind: 'analyze', none: null, faces: [{ box: [1, 2, 3, 4], score: 0.97 }] });
    expect('skip' in back).toBe(false);
    // The frame's bytes are carried raw, not as base64.
    const frame = new Uint8Array(640 * 480 * 3);
    expect(encodeMessage({ frame }).length).toBeLessThan(frame.length + 200);
  });

  it('refuses typed arrays it cannot carry and messages that are cut short', () => {
    expect(() => encodeMessage({ x: new Int16Array(2) })).toThrow(/Int16Array/);
    expect(() => decodeMessage(Buffer.from([1, 2]))).toThrow(/too short/);
    const whole = encodeMessage({ a: new Uint8Array([1, 2, 3]) });
    const header = whole.readUInt32LE(0);
    const bad = Buffer.from(whole.subarray(4, 4 + header).toString('utf8').replace('"$b":0', '"$b":5'));
    expect(() => decodeMessage(Buffer.concat([whole.subarray(0, 4), bad]))).toThrow(/blob 5/);
  });
});

describe('queue failures', () => {
  it.each([
    [new InvalidImageError('not an image'), InvalidImageError, 400],
    [new PayloadTooLargeError('too big'), PayloadTooLargeError, 413],
    [new UnavailableError('no models'), UnavailableError, 503],
    [new EngineBusyError('queue_full', 3), EngineBusyError, 503],
  ])('%s crosses back as the same domain error', (error, type, status) => {
    const back = errorFromFailure(failureFromError(error), 2);
    expect(back).toBeInstanceOf(type);
    expect((back as unknown as { status: number }).status).toBe(status);
    expect(back.message).toBe(error.message);
  });

  it('keeps the busy reason, and only busy errors are retried', () => {
    const back = errorFromFailure(failureFromError(new EngineBusyError('worker_crashed', 1)), 4) as EngineBusyError;
    expect(back.reason).toBe('worker_crashed');
    expect(back.retryAfterSeconds).toBe(4);
    expect(isRetryable(new EngineBusyError('timeout', 1))).toBe(true);
    expect(isRetryable(new InvalidImageError())).toBe(false);
    expect(isRetryable(new Error('bug'))).toBe(false);
  });

  it('an unexpected worker error stays an unexpected error (masked as 500 by the transports)', () => {
    const back = errorFromFailure(failureFromError(new TypeError('x is undefined')), 1);
    expect(back).not.toBeInstanceOf(EngineBusyError);
    expect(back.name).toBe('TypeError');
    expect(back.message).toMatch(/x is undefined/);
  });
});
