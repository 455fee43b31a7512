// The one reading of database failures. A failure either PROVES the input bad
// (the same write would fail the same way every time: a constraint, a value
// the column cannot hold, a query the schema rejects), or it does not. Anything
// not proven bad may be the database, the network or the pool having a bad
// moment, whatever the stack happened to raise first; so attendance queues
// such events durably instead of dropping them, and HTTP answers 503, never 500.
//
// An allow-list of "unreachable" codes always misses one (Prisma's P2028
// "Unable to start a transaction in the given time" did), so the list below is
// the other way round: the few codes that prove the input wrong, each with its
// reason. Anything else is "not proven bad".
import { Prisma } from '../generated/prisma/client.js';

/** Prisma error codes that prove the input (not the database's health) wrong. */
export const PROVEN_BAD_CODES: Readonly<Record<string, string>> = {
  P2000: 'value too long for its column',
  P2002: 'unique constraint: the row already exists',
  P2003: 'foreign key: the referenced row does not exist',
  P2004: 'a database constraint failed',
  P2005: 'stored value invalid for the field type',
  P2006: 'value invalid for the field',
  P2007: 'data validation error',
  P2011: 'null constraint: a required column is null',
  P2012: 'missing required value',
  P2013: 'missing required argument',
  P2014: 'the change would violate a required relation',
  P2015: 'a related record was not found',
  P2017: 'the records of the relation are not connected',
  P2018: 'required connected records were not found',
  P2019: 'input error',
  P2020: 'value out of range for the type',
  P2023: 'inconsistent column data (e.g. a malformed id)',
  P2025: 'a record the operation needs does not exist (update/delete/connect)',
  P2026: 'the query uses a feature the database does not support',
  P2029: 'query parameter limit exceeded by this input',
  P2033: 'a number does not fit in 64 bits',
};

/**
 * MariaDB/MySQL errnos that prove the input wrong when they arrive wrapped in a
 * generic error (P2010 raw query / P2039 database error keep the driver's code).
 */
export const PROVEN_BAD_ERRNOS: Readonly<Record<number, string>> = {
  1048: 'column cannot be null',
  1062: 'duplicate entry for a unique key',
  1064: 'SQL syntax error: the same query fails every time (a bug)',
  1216: 'foreign key: no parent row',
  1217: 'foreign key: row is referenced',
  1263: 'null given for a NOT NULL column',
  1264: 'value out of range for the column',
  1265: 'data truncated for the column',
  1292: 'incorrect value (date, time or number)',
  1364: 'field has no default value',
  1366: 'incorrect value for the column type',
  1406: 'data too long for the column',
  1451: 'foreign key: row is referenced',
  1452: 'foreign key: no parent row',
  1690: 'value out of range (BIGINT)',
  3819: 'check constraint violated (MySQL)',
  4025: 'check constraint violated (MariaDB)',
};

// Classes that come from the database layer: Prisma's own, the adapter's
// DriverAdapterError, the mariadb driver's SqlError. Compared by name: a second
// copy of a runtime (ESM and CJS builds) would break instanceof.
const DATABASE_ERROR_NAMES = new Set([
  'PrismaClientKnownRequestError',
  'PrismaClientUnknownRequestError',
  'PrismaClientInitializationError',
  'PrismaClientRustPanicError',
  'DriverAdapterError',
  'SqlError',
]);

/** Socket-level failures, whoever raised them. */
const NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ECONNABORTED',
  'EPIPE',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
  'PROTOCOL_CONNECTION_LOST',
]);

export type DbFailure =
  /** Retrying the same input fails the same way: a bug or bad data, never queued for retry. */
  | { kind: 'proven-bad'; code: string; reason: string }
  /** Anything else. `fromDatabase`: raised by the database layer (so HTTP says 503, not 500). */
  | { kind: 'not-proven-bad'; code: string | null; fromDatabase: boolean };

type ErrorLike = {
  name?: unknown;
  code?: unknown;
  errorCode?: unknown;
  errno?: unknown;
  cause?: unknown;
  meta?: unknown;
  originalCode?: unknown;
};

/** The error, its causes and the adapter error Prisma keeps in `meta`, depth first. */
function chain(error: unknown): ErrorLike[] {
  const out: ErrorLike[] = [];
  const seen = new Set<unknown>();
  const stack: unknown[] = [error];
  while (stack.length > 0 && out.length < 16) {
    const e = stack.pop();
    if (!e || typeof e !== 'object' || seen.has(e)) {
      continue;
    }
    seen.add(e);
    const err = e as ErrorLike;
    out.push(err);
    const meta = err.meta && typeof err.meta === 'object' ? (err.meta as { driverAdapterError?: unknown }) : undefined;
    stack.push(err.cause, meta?.driverAdapterError);
  }
  return out;
}

function driverErrno(e: ErrorLike): number | undefined {
  for (const v of [e.errno, e.code, e.originalCode]) {
    const n = typeof v === 'string' && /^\d+$/.test(v) ? Number(v) : v;
    if (typeof n === 'number' && Number.isInteger(n)) {
      return n;
    }
  }
  return undefined;
}

export function classifyDbError(error: unknown): DbFailure {
  if (error instanceof Prisma.PrismaClientValidationError || (error as ErrorLike | null)?.name === 'PrismaClientValidationError') {
    return { kind: 'proven-bad', code: 'PrismaClientValidationError', reason: 'the query does not fit the schema' };
  }
  let firstCode: string | null = null;
  let fromDatabase = false;
  for (const e of chain(error)) {
    if (typeof e.name === 'string' && DATABASE_ERROR_NAMES.has(e.name)) {
      fromDatabase = true;
    }
    const code = typeof e.code === 'string' ? e.code : typeof e.errorCode === 'string' ? e.errorCode : null;
    if (code !== null) {
      firstCode ??= code;
      const reason = PROVEN_BAD_CODES[code];
      if (reason !== undefined) {
        return { kind: 'proven-bad', code, reason };
      }
      if (NETWORK_CODES.has(code) || /^P\d{4}$/.test(code)) {
        fromDatabase = true;
      }
    }
    const errno = driverErrno(e);
    if (errno !== undefined && PROVEN_BAD_ERRNOS[errno] !== undefined) {
      return { kind: 'proven-bad', code: String(errno), reason: PROVEN_BAD_ERRNOS[errno] };
    }
  }
  return { kind: 'not-proven-bad', code: firstCode, fromDatabase };
}

/** True when retrying the same input cannot succeed (see PROVEN_BAD_CODES / PROVEN_BAD_ERRNOS). */
export function provesInputBad(error: unknown): boolean {
  return classifyDbError(error).kind === 'proven-bad';
}

/**
 * True for a failure of the database layer that does not prove the input bad:
 * the database (or the way to it) is not serving. HTTP maps these to 503.
 */
export function isDatabaseFailure(error: unknown): boolean {
  const c = classifyDbError(error);
  return c.kind === 'not-proven-bad' && c.fromDatabase;
}

function hasCode(error: unknown, code: string, errnos: readonly number[]): boolean {
  return chain(error).some((e) => e.code === code || (errnos.length > 0 && errnos.includes(driverErrno(e) ?? -1)));
}

/** A unique constraint refused the row (P2002 / errno 1062). */
export function isUniqueViolation(error: unknown): boolean {
  return hasCode(error, 'P2002', [1062]);
}

/** A foreign key refused the row: the row it points to does not exist (P2003 / errno 1452, 1216). */
export function isForeignKeyViolation(error: unknown): boolean {
  return hasCode(error, 'P2003', [1452, 1216, 1451, 1217]);
}

/** An update/delete/connect found no record (P2025). */
export function isRecordNotFound(error: unknown): boolean {
  return hasCode(error, 'P2025', []);
}
