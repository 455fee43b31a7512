// The face engine's failures as domain errors, and the one place that maps
// what the worker pool and the workers throw onto them (used by the adapter,
// pool-face-engine.ts). Callers of a FaceEngine see only these, DomainErrors
// with their HTTP status, and never translate engine errors themselves:
//
//   worker/pool failure                      domain error           REST   GraphQL
//   ImageDecodeError INVALID_IMAGE           InvalidImageError      400    InvalidImageError
//   ImageDecodeError IMAGE_TOO_LARGE         PayloadTooLargeError   413    PayloadTooLargeError
//   PoolQueueFullError (queue full)          EngineBusyError        503 + Retry-After   EngineBusyError
//   TaskTimeoutError                         EngineBusyError        503 + Retry-After   EngineBusyError
//   WorkerCrashedError                       EngineBusyError        503 + Retry-After   EngineBusyError
//   PoolClosedError (server stopping)        EngineBusyError        503 + Retry-After   EngineBusyError
//   WorkerInitError (models do not load)     UnavailableError       503    extensions.code UNAVAILABLE
//   AbortError (the caller's own signal)     unchanged
//   (queue engine: queue/queue-errors.ts maps its own failures onto the same errors)
//   anything else (a bug)                    unchanged              500    masked
import { DomainError, PayloadTooLargeError, UnavailableError, type DomainErrorCode } from '../domain/errors.js';
import { isImageDecodeError } from '../vision/image-errors.js';
import { isAbortError, WorkerPoolError } from './pool/pool-errors.js';

/** The bytes are not an image the engine can decode (bad base64 is a ValidationError before it). */
export class InvalidImageError extends DomainError {
  readonly code: DomainErrorCode = 'INVALID_IMAGE';
  readonly status = 400;
  constructor(message = 'frame is not a decodable JPEG, PNG or WebP image') {
    super(message);
    this.name = 'InvalidImageError';
  }
}

export type EngineBusyReason = 'queue_full' | 'timeout' | 'worker_crashed' | 'stopping' | 'no_workers';

const BUSY_MESSAGES: Record<EngineBusyReason, string> = {
  queue_full: 'face engine busy: too many frames waiting',
  timeout: 'face engine busy: the frame took too long',
  worker_crashed: 'face engine busy: a worker failed and is being replaced',
  stopping: 'face engine is stopping',
  no_workers: 'face engine busy: no queue worker is running',
};

/** A transient overload or fault of the engine: the same request may succeed after `retryAfterSeconds`. */
export class EngineBusyError extends DomainError {
  readonly code = 'ENGINE_BUSY';
  readonly status = 503;
  override readonly retryAfterSeconds: number;
  constructor(
    readonly reason: EngineBusyReason,
    retryAfterSeconds: number,
  ) {
    super(BUSY_MESSAGES[reason]);
    this.name = 'EngineBusyError';
    this.retryAfterSeconds = Math.max(1, Math.ceil(retryAfterSeconds));
  }
}

/**
 * What a caller of the engine gets for a failure of the pool or a worker.
 * `retryAfterSeconds` is asked only when the answer is an EngineBusyError.
 */
export function mapEngineFailure(error: unknown, retryAfterSeconds: () => number): unknown {
  if (isImageDecodeError(error)) {
    // Rebuilt by the pool as a plain Error with the worker's name and code.
    return error.code === 'IMAGE_TOO_LARGE' ? new PayloadTooLargeError(error.message) : new InvalidImageError(error.message);
  }
  if (!(error instanceof WorkerPoolError) || isAbortError(error)) {
    return error;
  }
  switch (error.code) {
    case 'QUEUE_FULL':
      return new EngineBusyError('queue_full', retryAfterSeconds());
    case 'TASK_TIMEOUT':
      return new EngineBusyError('timeout', retryAfterSeconds());
    case 'WORKER_CRASHED':
      return new EngineBusyError('worker_crashed', retryAfterSeconds());
    case 'POOL_CLOSED':
      return new EngineBusyError('stopping', retryAfterSeconds());
    case 'WORKER_INIT_FAILED':
      return new UnavailableError('face engine unavailable: its workers cannot load the face models');
    case 'ABORT_ERR':
      return error;
  }
}
