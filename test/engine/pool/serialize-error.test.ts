// The error round trip on its own, through a real structured clone (what postMessage does).
import { describe, expect, test } from 'vitest';
import { deserializeError, serializeError } from '../../../src/engine/pool/serialize-error.js';

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
