// The error round trip on its own, through a real structured clone (what postMessage does).
import { describe, expect, test } from 'vitest';
import { LatencyWindow } from '../../src/workers/latency-window.js';
import { deserializeError, serializeError } from '../../src/workers/serialize-error.js';

class ValidationError extends Error {
  override readonly name = 'ValidationError';
  readonly code = 'BAD_INPUT';
  readonly field = 'image';
  readonly retry = (): void => {};
}

const roundTrip = (err: unknown): Error => deserializeError(structuredClone(serializeError(err)));

describe('error serialization', () => {
  test('keeps name, message, code, stack and cloneable own props; drops functions', () => {
    const original = new ValidationError('image too large');
    const back = roundTrip(original) as Error & Record<string, unknown>;
    expect(back).toBeInstanceOf(Error);
    expect(back.name).toBe('ValidationError');
    expect(back.message).toBe('image too large');
    expect(back.code).toBe('BAD_INPUT');
    expect(back.field).toBe('image');
    expect(back.retry).toBeUndefined();
    expect(back.stack).toBe(original.stack);
    expect(String(back)).toBe('ValidationError: image too large');
  });

  test('keeps the cause chain', () => {
    const inner = Object.assign(new Error('ENOENT: model.onnx'), { code: 'ENOENT' });
    const back = roundTrip(new Error('init failed', { cause: inner }));
    expect((back.cause as { code?: string }).code).toBe('ENOENT');
    expect((back.cause as Error).message).toBe('ENOENT: model.onnx');
  });

  test('non-Error throws become readable Errors', () => {
    expect(roundTrip('just text').message).toBe('just text');
    expect(roundTrip({ reason: 42 }).message).toBe('{"reason":42}');
    expect(roundTrip(undefined).message).toBe('undefined');
  });
});

describe('LatencyWindow', () => {
  test('percentiles over the last N samples only', () => {
    const w = new LatencyWindow(100);
    expect(w.summary()).toEqual({ p50: 0, p95: 0, max: 0 });
    for (let i = 1; i <= 100; i++) {
      w.record(i);
    }
    expect(w.summary()).toEqual({ p50: 50, p95: 95, max: 100 });
    // 100 more samples of 1000 push every earlier sample out of the window.
    for (let i = 0; i < 100; i++) {
      w.record(1000);
    }
    expect(w.summary()).toEqual({ p50: 1000, p95: 1000, max: 1000 });
    expect(w.size).toBe(100);
  });
});
