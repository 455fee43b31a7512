// Stored answers for Idempotency-Keys, in the database so every instance sees
// them. A key is scoped to the API key that sent it: two kiosks may pick the
// same key without seeing each other's answers. The first request with a key
// claims it (a unique row, status pending), runs, and stores its answer; a
// retry gets that answer back; a retry that arrives while the first still runs
// waits for it (up to WAIT_MS, then 409). The same key with a different request
// (another frame, other options) is refused (422): a collision never hands out
// someone else's result. Rows expire after IDEMPOTENCY_TTL_SECONDS.
import { createHash } from 'node:crypto';
import { Prisma, type PrismaClient } from '../generated/prisma/client.js';
import { ValidationError } from '../domain/errors.js';
import { IdempotencyKeyInFlightError, IdempotencyKeyReusedError } from './idempotency-errors.js';

/** Printable ASCII without spaces, as the draft's examples; the column holds 255. */
const KEY_PATTERN = /^[\x21-\x7e]{1,255}$/;
const WAIT_MS = 15_000;
const POLL_MS = 50;

export interface IdempotencyScope {
  apiKeyId: number;
  key: string;
  /** sha256 of what makes the request this request (see fingerprintOf). */
  fingerprint: string;
}

export interface IdempotentOutcome<T> {
  value: T;
  /** Employees named in the answer: erasing one of them deletes the stored answer. */
  subjects: readonly number[];
}

export interface IdempotencyStore {
  /** Runs `execute` once per scope; later calls with the same scope get its stored answer. */
  run<T>(scope: IdempotencyScope, execute: () => Promise<IdempotentOutcome<T>>): Promise<{ value: T; replayed: boolean }>;
  /** Deletes every stored answer naming this employee (erasure). */
  forgetSubject(employeeId: number, db?: Pick<PrismaClient, 'idempotencyRecord'>): Promise<number>;
  /** Deletes expired rows; returns how many. */
  purgeExpired(): Promise<number>;
}

/** Checks a client's key: 422 (ValidationError) when it is not 1-255 printable characters. */
export function checkIdempotencyKey(key: string, path: (string | number)[]): string {
  if (!KEY_PATTERN.test(key)) {
    throw new ValidationError([{ path, message: 'must be 1 to 255 printable ASCII characters without spaces' }]);
  }
  return key;
}

/** A stable hash of the parts that identify a request (operation name, bytes, options). */
export function fingerprintOf(parts: readonly (string | number | boolean | null | Uint8Array)[]): string {
  const hash = createHash('sha256');
  for (const part of parts) {
    const bytes = part instanceof Uint8Array ? part : Buffer.from(JSON.stringify(part), 'utf8');
    hash.update(`${bytes.length}:`).update(bytes);
  }
  return hash.digest('hex');
}

const isUniqueViolation = (error: unknown): boolean =>
  error instanceof Prisma.PrismaClientKnownRequestError && error.code === 'P2002';

export function createIdempotencyStore(deps: { prisma: PrismaClient; clock: () => Date; ttlSeconds: number }): IdempotencyStore {
  const { prisma, clock } = deps;
  const where = (scope: IdempotencyScope) => ({ apiKeyId_key: { apiKeyId: scope.apiKeyId, key: scope.key } });

  /** Claims the key; false when a live row already holds it. An expired row is taken over. */
  const claim = async (scope: IdempotencyScope): Promise<boolean> => {
    const now = clock();
    const data = {
      apiKeyId: scope.apiKeyId,
      key: scope.key,
      fingerprint: scope.fingerprint,
      status: 'pending',
      expiresAt: new Date(now.getTime() + deps.ttlSeconds * 1000),
    };
    try {
      await prisma.idempotencyRecord.create({ data });
      return true;
    } catch (error) {
      if (!isUniqueViolation(error)) {
        throw error;
      }
    }
    const { count } = await prisma.idempotencyRecord.deleteMany({
      where: { apiKeyId: scope.apiKeyId, key: scope.key, expiresAt: { lte: now } },
    });
    if (count === 0) {
      return false;
    }
    try {
      await prisma.idempotencyRecord.create({ data });
      return true;
    } catch (error) {
      if (isUniqueViolation(error)) {
        return false;
      }
      throw error;
    }
  };

  return {
    async run<T>(scope: IdempotencyScope, execute: () => Promise<IdempotentOutcome<T>>) {
      const deadline = Date.now() + WAIT_MS;
      for (;;) {
        if (await claim(scope)) {
          let outcome: IdempotentOutcome<T>;
          try {
            outcome = await execute();
          } catch (error) {
            // A failed request stores nothing: the client may retry with the same key.
            await prisma.idempotencyRecord.delete({ where: where(scope) }).catch(() => undefined);
            throw error;
          }
          await prisma.idempotencyRecord.update({
            where: where(scope),
            data: {
              status: 'done',
              response: JSON.parse(JSON.stringify(outcome.value)) as Prisma.InputJsonValue,
              subjects: subjectsText(outcome.subjects),
            },
          });
          return { value: outcome.value, replayed: false };
        }
        const row = await prisma.idempotencyRecord.findUnique({ where: where(scope) });
        if (row === null) {
          continue; // released (the first attempt failed) or purged meanwhile: claim again
        }
        if (row.fingerprint !== scope.fingerprint) {
          throw new IdempotencyKeyReusedError();
        }
        if (row.status === 'done') {
          return { value: row.response as T, replayed: true };
        }
        if (Date.now() >= deadline) {
          throw new IdempotencyKeyInFlightError();
        }
        await new Promise((resolve) => setTimeout(resolve, POLL_MS));
      }
    },
    async forgetSubject(employeeId, db = prisma) {
      const { count } = await db.idempotencyRecord.deleteMany({ where: { subjects: { contains: `,${employeeId},` } } });
      return count;
    },
    async purgeExpired() {
      const { count } = await prisma.idempotencyRecord.deleteMany({ where: { expiresAt: { lte: clock() } } });
      return count;
    },
  };
}

/** ",12,34," (fits the column: ids beyond its width are dropped, the row then expires normally). */
function subjectsText(ids: readonly number[]): string {
  const unique = [...new Set(ids)].sort((a, b) => a - b);
  let text = ',';
  for (const id of unique) {
    const next = `${text}${id},`;
    if (next.length > 2048) {
      break;
    }
    text = next;
  }
  return unique.length === 0 ? '' : text;
}
