// The queue engine's failures as the same domain errors the local engine
// raises (../engine-errors.ts), so callers cannot tell the engines apart:
//
//   on the server                                   domain error                 REST
//   no live worker process                           EngineBusyError no_workers  503 + Retry-After
//   too many jobs of this instance waiting           EngineBusyError queue_full  503 + Retry-After
//   no outcome by the deadline (stuck, killed)       EngineBusyError timeout     503 + Retry-After
//   adding the job failed (Redis away)               EngineBusyError timeout     503 + Retry-After
//   engine closed                                    EngineBusyError stopping    503 + Retry-After
//   from the worker (QueueFailure.code)
//   INVALID_IMAGE / PAYLOAD_TOO_LARGE / UNAVAILABLE  the same class               400 / 413 / 503
//   ENGINE_BUSY (its pool, after every attempt)      EngineBusyError <reason>    503 + Retry-After
//   anything else (a bug in the worker)              Error                       500, masked
import { DomainError, PayloadTooLargeError, UnavailableError } from '../../domain/errors.js';
import { EngineBusyError, InvalidImageError, type EngineBusyReason } from '../engine-errors.js';
import type { QueueFailure } from './queue-protocol.js';

const BUSY_REASONS = new Set<EngineBusyReason>(['queue_full', 'timeout', 'worker_crashed', 'stopping', 'no_workers']);

/** Server side: the error a caller gets for a worker's failure. */
export function errorFromFailure(failure: QueueFailure, retryAfterSeconds: number): Error {
  switch (failure.code) {
    case 'INVALID_IMAGE':
      return new InvalidImageError(failure.message);
    case 'PAYLOAD_TOO_LARGE':
      return new PayloadTooLargeError(failure.message);
    case 'UNAVAILABLE':
      return new UnavailableError(failure.message);
    case 'ENGINE_BUSY': {
      const reason = BUSY_REASONS.has(failure.reason as EngineBusyReason) ? (failure.reason as EngineBusyReason) : 'worker_crashed';
      return new EngineBusyError(reason, retryAfterSeconds);
    }
    default: {
      const error = new Error(`face worker failed: ${failure.message}`);
      error.name = failure.name;
      return error;
    }
  }
}

/** Worker side: what crosses back for an error its engine raised. */
export function failureFromError(error: unknown): QueueFailure {
  if (error instanceof EngineBusyError) {
    return { name: error.name, code: error.code, message: error.message, reason: error.reason };
  }
  if (error instanceof DomainError) {
    return { name: error.name, code: error.code, message: error.message };
  }
  const e = error instanceof Error ? error : new Error(String(error));
  return { name: e.name, code: 'INTERNAL', message: e.message };
}

/** Worker side: whether another attempt (maybe on another worker) can help. */
export function isRetryable(error: unknown): boolean {
  return error instanceof EngineBusyError;
}
