// "The database is not serving right now": the domain error every caller sees
// instead of the driver's or Prisma's own (REST: 503 + Retry-After + a clear
// detail; GraphQL: extensions.code SERVICE_UNAVAILABLE). Nothing about the
// request was wrong, so it may simply be sent again.
import { DomainError } from '../domain/errors.js';
import { isDatabaseFailure } from './prisma-errors.js';

/** What clients are told to wait before retrying. */
export const DATABASE_RETRY_AFTER_SECONDS = 5;

export class DatabaseUnavailableError extends DomainError {
  readonly code = 'SERVICE_UNAVAILABLE';
  readonly status = 503;
  override readonly retryAfterSeconds = DATABASE_RETRY_AFTER_SECONDS;
  constructor(cause?: unknown) {
    super('The database is unavailable right now; retry shortly.', { cause });
    this.name = 'DatabaseUnavailableError';
  }
}

/**
 * The error to show for a failure: a DatabaseUnavailableError for a database
 * failure that does not prove the input bad (src/db/prisma-errors.ts), else undefined.
 */
export function asDatabaseUnavailable(error: unknown): DatabaseUnavailableError | undefined {
  if (error instanceof DatabaseUnavailableError) {
    return error;
  }
  return isDatabaseFailure(error) ? new DatabaseUnavailableError(error) : undefined;
}
