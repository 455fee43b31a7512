// Expected failures of the domain. Services throw these; GraphQL turns the ones a
// field lists into typed results (errors plugin) and the rest into a stable
// `extensions.code`; REST maps `status` to the HTTP status and `{ detail }`.
// Anything that is not a DomainError is unexpected and stays masked.
import type { ZodType, output } from 'zod';

export type DomainErrorCode =
  | 'NOT_FOUND'
  | 'EMPLOYEE_NOT_FOUND'
  | 'API_KEY_NOT_FOUND'
  | 'CONFLICT'
  | 'DUPLICATE_EMPLOYEE_CODE'
  | 'VALIDATION_FAILED'
  | 'UNAUTHENTICATED'
  | 'FORBIDDEN'
  | 'PAYLOAD_TOO_LARGE'
  | 'UNAVAILABLE'
  | 'SERVICE_UNAVAILABLE'
  | 'ENGINE_BUSY'
  | 'INVALID_IMAGE'
  | 'ENROLLMENT_SESSION_NOT_FOUND'
  | 'ENROLLMENT_SESSION_CLOSED'
  | 'ENROLLMENT_SESSION_EXPIRED'
  | 'INSUFFICIENT_COVERAGE'
  | 'INCONSISTENT_IDENTITY'
  | 'DUPLICATE_IDENTITY'
  | 'PHOTOS_REJECTED'
  | 'IDEMPOTENCY_KEY_REUSED'
  | 'IDEMPOTENCY_KEY_IN_FLIGHT'
  | 'RATE_LIMITED';

export interface ValidationIssue {
  /** Path of the offending field, e.g. ['employeeCode']. */
  path: (string | number)[];
  message: string;
}

export abstract class DomainError extends Error {
  abstract readonly code: DomainErrorCode;
  /** HTTP status the REST layer answers with. */
  abstract readonly status: number;
  /** Set on transient failures (503): when a retry may succeed. REST sends it as `Retry-After`. */
  declare readonly retryAfterSeconds?: number;
}

export class NotFoundError extends DomainError {
  readonly code: DomainErrorCode = 'NOT_FOUND';
  readonly status = 404;
  constructor(
    readonly entity: string,
    readonly id: string | number,
  ) {
    super(`${entity} ${id} not found`);
    this.name = 'NotFoundError';
  }
}

export class EmployeeNotFoundError extends NotFoundError {
  override readonly code = 'EMPLOYEE_NOT_FOUND';
  constructor(id: number) {
    super('Employee', id);
    this.name = 'EmployeeNotFoundError';
  }
}

export class ApiKeyNotFoundError extends NotFoundError {
  override readonly code = 'API_KEY_NOT_FOUND';
  constructor(id: number) {
    super('API key', id);
    this.name = 'ApiKeyNotFoundError';
  }
}

export class ConflictError extends DomainError {
  readonly code: DomainErrorCode = 'CONFLICT';
  readonly status = 409;
  constructor(message: string) {
    super(message);
    this.name = 'ConflictError';
  }
}

export class DuplicateEmployeeCodeError extends ConflictError {
  override readonly code = 'DUPLICATE_EMPLOYEE_CODE';
  constructor(readonly employeeCode: string) {
    super(`Employee code ${employeeCode} already exists`);
    this.name = 'DuplicateEmployeeCodeError';
  }
}

export class ValidationError extends DomainError {
  readonly code = 'VALIDATION_FAILED';
  readonly status = 422;
  constructor(readonly issues: ValidationIssue[]) {
    super(issues.map((i) => (i.path.length > 0 ? `${i.path.join('.')}: ${i.message}` : i.message)).join('; '));
    this.name = 'ValidationError';
  }
}

export class UnauthenticatedError extends DomainError {
  readonly code = 'UNAUTHENTICATED';
  readonly status = 401;
  constructor(message = 'Missing or invalid API key') {
    super(message);
    this.name = 'UnauthenticatedError';
  }
}

export class ForbiddenError extends DomainError {
  readonly code = 'FORBIDDEN';
  readonly status = 403;
  constructor(message = 'This API key is not allowed to do that') {
    super(message);
    this.name = 'ForbiddenError';
  }
}

export class PayloadTooLargeError extends DomainError {
  readonly code = 'PAYLOAD_TOO_LARGE';
  readonly status = 413;
  constructor(message = 'Request body too large') {
    super(message);
    this.name = 'PayloadTooLargeError';
  }
}

export class UnavailableError extends DomainError {
  readonly code = 'UNAVAILABLE';
  readonly status = 503;
  constructor(message: string) {
    super(message);
    this.name = 'UnavailableError';
  }
}

/** Turns zod issues into ValidationIssues, so services can validate with zod and throw one error. */
export function validationErrorFromZod(issues: readonly { path: readonly PropertyKey[]; message: string }[]): ValidationError {
  return new ValidationError(
    issues.map((i) => ({
      path: i.path.map((p) => (typeof p === 'number' ? p : String(p))),
      message: i.message,
    })),
  );
}

/** Parses input with a zod schema; every problem becomes one ValidationError, paths under `at`. */
export function parseInput<S extends ZodType>(schema: S, input: unknown, at: readonly (string | number)[] = []): output<S> {
  const result = schema.safeParse(input);
  if (!result.success) {
    throw validationErrorFromZod(result.error.issues.map((i) => ({ path: [...at, ...i.path], message: i.message })));
  }
  return result.data;
}
