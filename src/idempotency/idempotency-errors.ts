// Expected failures of Idempotency-Key handling (IETF draft
// "The Idempotency-Key HTTP Header Field": 422 for a key reused with another
// request, 409 while the first request with that key is still running).
import { DomainError, type DomainErrorCode } from '../domain/errors.js';

export class IdempotencyKeyReusedError extends DomainError {
  readonly code: DomainErrorCode = 'IDEMPOTENCY_KEY_REUSED';
  readonly status = 422;
  constructor() {
    super('This Idempotency-Key was already used for a different request; use a new key for a new request');
    this.name = 'IdempotencyKeyReusedError';
  }
}

export class IdempotencyKeyInFlightError extends DomainError {
  readonly code: DomainErrorCode = 'IDEMPOTENCY_KEY_IN_FLIGHT';
  readonly status = 409;
  constructor() {
    super('A request with this Idempotency-Key is still being processed; retry shortly');
    this.name = 'IdempotencyKeyInFlightError';
  }
}
