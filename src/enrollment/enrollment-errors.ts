// Expected failures of enrollment. Both APIs map them: REST by `status` and
// `{ detail: message }`, GraphQL as typed union members (src/schema/enrollment.ts).
import { ConflictError, DomainError, NotFoundError, type DomainErrorCode } from '../domain/errors.js';
import type { PoseSector } from './pose-sectors.js';
import type { PhotoRejection } from './photo-verdict.js';
import type { EnrollmentSessionStatus } from './events.js';

export class EnrollmentSessionNotFoundError extends NotFoundError {
  override readonly code: DomainErrorCode = 'ENROLLMENT_SESSION_NOT_FOUND';
  constructor(readonly sessionId: string) {
    super('Enrollment session', sessionId);
    this.name = 'EnrollmentSessionNotFoundError';
  }
}

/** The session was completed or cancelled: no more frames, no second completion. */
export class EnrollmentSessionClosedError extends ConflictError {
  override readonly code: DomainErrorCode = 'ENROLLMENT_SESSION_CLOSED';
  constructor(
    readonly sessionId: string,
    readonly sessionStatus: EnrollmentSessionStatus,
    detail?: string,
  ) {
    super(detail ?? `Enrollment session ${sessionId} is ${sessionStatus}`);
    this.name = 'EnrollmentSessionClosedError';
  }
}

/** Past its TTL (or lost with a restart): start a new session. */
export class EnrollmentSessionExpiredError extends DomainError {
  readonly code: DomainErrorCode = 'ENROLLMENT_SESSION_EXPIRED';
  readonly status = 410;
  constructor(readonly sessionId: string) {
    super(`Enrollment session ${sessionId} has expired; start a new one`);
    this.name = 'EnrollmentSessionExpiredError';
  }
}

export class InsufficientCoverageError extends DomainError {
  readonly code: DomainErrorCode = 'INSUFFICIENT_COVERAGE';
  readonly status = 422;
  constructor(
    message: string,
    readonly missing: PoseSector[],
    readonly covered: PoseSector[],
  ) {
    super(message);
    this.name = 'InsufficientCoverageError';
  }
}

export class InconsistentIdentityError extends DomainError {
  readonly code: DomainErrorCode = 'INCONSISTENT_IDENTITY';
  readonly status = 422;
  constructor(message: string) {
    super(message);
    this.name = 'InconsistentIdentityError';
  }
}

/** The face already belongs to another employee. */
export class DuplicateIdentityError extends DomainError {
  readonly code: DomainErrorCode = 'DUPLICATE_IDENTITY';
  readonly status = 409;
  constructor(
    message: string,
    readonly existingEmployeeId: number,
    readonly similarity: number,
  ) {
    super(message);
    this.name = 'DuplicateIdentityError';
  }
}

export interface RejectedPhoto {
  index: number;
  reason: PhotoRejection;
  message: string;
  faceCount: number;
}

export class PhotosRejectedError extends DomainError {
  readonly code: DomainErrorCode = 'PHOTOS_REJECTED';
  readonly status = 422;
  constructor(
    message: string,
    readonly rejected: RejectedPhoto[],
  ) {
    super(message);
    this.name = 'PhotosRejectedError';
  }
}
