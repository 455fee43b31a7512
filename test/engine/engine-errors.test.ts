// The one mapping of engine failures to domain errors, row by row, with the
// errors as the pool really raises them (worker errors after the round trip
// through serializeError/deserializeError, as postMessage delivers them).
import { describe, expect, it } from 'vitest';
import { DomainError, PayloadTooLargeError, UnavailableError } from '../../src/domain/errors.js';
import { EngineBusyError, InvalidImageError, mapEngineFailure } from '../../src/engine/engine-errors.js';
import {
  PoolClosedError,
  PoolQueueFullError,
  TaskAbortedError,
  TaskTimeoutError,
  WorkerCrashedError,
  WorkerInitError,
} from '../../src/engine/pool/pool-errors.js';
import { deserializeError, serializeError } from '../../src/engine/pool/serialize-error.js';
import { ImageDecodeError } from '../../src/vision/image-errors.js';

const fromWorker = (err: Error): Error => deserializeError(structuredClone(serializeError(err)));
const map = (err: unknown, retryAfter = 3): unknown => mapEngineFailure(err, () => retryAfter);

describe('mapEngineFailure', () => {
  it('an undecodable image is InvalidImageError (400), an oversized one PayloadTooLargeError (413)', () => {
    const invalid = map(fromWorker(new ImageDecodeError('INVALID_IMAGE', 'not an image')));
    expect(invalid).toBeInstanceOf(InvalidImageError);
    expect(invalid).toMatchObject({ status: 400, code: 'INVALID_IMAGE', message: 'not an image' });
    const large = map(fromWorker(new ImageDecodeError('IMAGE_TOO_LARGE', '9000x9000 is over 40000000 pixels')));
    expect(large).toBeInstanceOf(PayloadTooLargeError);
    expect(large).toMatchObject({ status: 413, code: 'PAYLOAD_TOO_LARGE' });
  });

  it.each([
    ['queue full', new PoolQueueFullError('face', 4), 'queue_full'],
    ['task timeout', new TaskTimeoutError('face', 10_000), 'timeout'],
    ['worker crash', new WorkerCrashedError('face', 1, 'exited with code 1'), 'worker_crashed'],
    ['pool closed', new PoolClosedError('face'), 'stopping'],
  ] as const)('%s is EngineBusyError: 503 with Retry-After', (_name, error, reason) => {
    const mapped = map(error, 2.2);
    expect(mapped).toBeInstanceOf(EngineBusyError);
    expect(mapped).toBeInstanceOf(DomainError);
    expect(mapped).toMatchObject({ status: 503, code: 'ENGINE_BUSY', reason, retryAfterSeconds: 3 });
  });

  it('Retry-After is a whole number of seconds, at least 1', () => {
    expect(map(new PoolQueueFullError('face', 4), 0)).toMatchObject({ retryAfterSeconds: 1 });
  });

  it('workers that cannot load the models make the engine unavailable (503, no retry hint)', () => {
    const mapped = map(new WorkerInitError('face', { cause: new Error('ENOENT: fr_detect.onnx') }));
    expect(mapped).toBeInstanceOf(UnavailableError);
    expect(mapped).toMatchObject({ status: 503, code: 'UNAVAILABLE' });
    expect(mapped).not.toHaveProperty('retryAfterSeconds');
  });

  it("the caller's own abort and unexpected errors pass through unchanged", () => {
    const aborted = new TaskAbortedError('client went away');
    expect(map(aborted)).toBe(aborted);
    const bug = fromWorker(new TypeError('cannot read properties of undefined'));
    expect(map(bug)).toBe(bug);
  });
});
