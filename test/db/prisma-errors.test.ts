// The one reading of database failures, fed with what the real stack raises:
// the constraint and validation errors the real MariaDB produces prove the
// input bad; what a database that went away produces (including the
// transaction-start timeout P2028 that an allow-list once missed) does not, and
// counts as the database's failure (503); a plain bug is neither.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DatabaseUnavailableError, asDatabaseUnavailable } from '../../src/db/database-unavailable.js';
import {
  classifyDbError,
  isDatabaseFailure,
  isForeignKeyViolation,
  isRecordNotFound,
  isUniqueViolation,
  provesInputBad,
} from '../../src/db/prisma-errors.js';
import { createPrisma } from '../../src/db/prisma.js';
import type { PrismaClient } from '../../src/generated/prisma/client.js';
import { createTestDatabase, type TestDatabase } from '../helpers/database.js';
import { makeEmployee } from '../helpers/factories.js';
import { startTcpProxy, type TcpProxy } from '../helpers/tcp-proxy.js';

let db: TestDatabase;
let proxy: TcpProxy;
let viaProxy: PrismaClient;

beforeAll(async () => {
  db = await createTestDatabase();
  proxy = await startTcpProxy();
  viaProxy = createPrisma(proxy.urlFor(db.url), { connectTimeoutMs: 300, queryTimeoutMs: 600, connectionLimit: 2 });
});

afterAll(async () => {
  await viaProxy?.$disconnect();
  await proxy?.close();
  await db?.drop();
});

const failure = (p: Promise<unknown>): Promise<unknown> =>
  p.then(
    () => {
      throw new Error('expected a failure');
    },
    (e: unknown) => e,
  );

describe('proven bad: the same input fails the same way every time', () => {
  it('unique (P2002), foreign key (P2003), too long (P2000), missing record (P2025), schema validation', async () => {
    const e = await makeEmployee(db.prisma);
    const unique = await failure(db.prisma.employee.create({ data: { employeeCode: e.employeeCode, fullName: 'Twin' } }));
    expect(classifyDbError(unique)).toMatchObject({ kind: 'proven-bad', code: 'P2002' });
    expect(isUniqueViolation(unique)).toBe(true);
    expect(isDatabaseFailure(unique)).toBe(false);

    const fk = await failure(
      db.prisma.attendanceLog.create({
        data: { eventId: 'fk-test', employeeId: e.id, cameraId: 999_999, checkInTime: new Date(), localDate: '2026-01-05', eventType: 'seen', confidenceScore: 0.9, recognitionMethod: 'svm' },
      }),
    );
    expect(classifyDbError(fk)).toMatchObject({ kind: 'proven-bad', code: 'P2003' });
    expect(isForeignKeyViolation(fk)).toBe(true);

    const tooLong = await failure(db.prisma.employee.create({ data: { employeeCode: 'x'.repeat(65), fullName: 'Long' } }));
    expect(classifyDbError(tooLong)).toMatchObject({ kind: 'proven-bad', code: 'P2000' });

    const missing = await failure(db.prisma.employee.update({ where: { id: 999_999 }, data: { fullName: 'Nobody' } }));
    expect(classifyDbError(missing)).toMatchObject({ kind: 'proven-bad', code: 'P2025' });
    expect(isRecordNotFound(missing)).toBe(true);

    // @ts-expect-error: a field the schema does not have
    const invalid = await failure(db.prisma.employee.findMany({ where: { nonsense: 1 } }));
    expect(classifyDbError(invalid)).toMatchObject({ kind: 'proven-bad', code: 'PrismaClientValidationError' });

    const syntax = await failure(db.prisma.$queryRawUnsafe('SELEC 1'));
    expect(classifyDbError(syntax)).toMatchObject({ kind: 'proven-bad', code: '1064' });
    // A duplicate inside a raw statement keeps the driver's errno under P2010.
    const rawDup = await failure(db.prisma.$executeRawUnsafe(`INSERT INTO Employee (employeeCode, fullName, updatedAt) VALUES ('${e.employeeCode}', 'x', NOW(3))`));
    expect(classifyDbError(rawDup)).toMatchObject({ kind: 'proven-bad', code: '1062' });
    for (const err of [unique, fk, tooLong, missing, invalid, syntax, rawDup]) {
      expect(provesInputBad(err)).toBe(true);
      expect(asDatabaseUnavailable(err)).toBeUndefined();
    }
  });
});

describe('not proven bad', () => {
  it('whatever a database that went away raises: the database failed, a retry may succeed', async () => {
    await viaProxy.$queryRaw`SELECT 1`;
    const errors: unknown[] = [];
    for (const mode of ['refuse', 'reset', 'blackhole'] as const) {
      await proxy.cut(mode);
      errors.push(await failure(viaProxy.$queryRaw`SELECT 1`));
      errors.push(await failure(viaProxy.employee.findMany()));
      errors.push(await failure(viaProxy.$transaction(async (tx) => tx.employee.count())));
      await proxy.restore();
      await expect.poll(() => viaProxy.$queryRaw`SELECT 1`.then(() => true, () => false), { timeout: 10_000 }).toBe(true);
    }
    for (const err of errors) {
      expect(classifyDbError(err)).toMatchObject({ kind: 'not-proven-bad', fromDatabase: true });
      expect(asDatabaseUnavailable(err)).toBeInstanceOf(DatabaseUnavailableError);
    }
  }, 60_000);

  it("Prisma's transaction-start timeout (P2028), a deadlock (P2034), and codes nobody listed", () => {
    const p2028 = Object.assign(new Error('Transaction API error: Unable to start a transaction in the given time.'), {
      name: 'PrismaClientKnownRequestError',
      code: 'P2028',
    });
    const p2034 = Object.assign(new Error('Transaction failed due to a write conflict or a deadlock'), { name: 'PrismaClientKnownRequestError', code: 'P2034' });
    const someday = Object.assign(new Error('a code from a future Prisma'), { name: 'PrismaClientKnownRequestError', code: 'P2099' });
    for (const err of [p2028, p2034, someday]) {
      expect(classifyDbError(err)).toMatchObject({ kind: 'not-proven-bad', fromDatabase: true });
      expect(isDatabaseFailure(err)).toBe(true);
    }
  });

  it('a plain bug is not the database: attendance would queue it, HTTP keeps it a 500', () => {
    expect(classifyDbError(new TypeError('x is undefined'))).toEqual({ kind: 'not-proven-bad', code: null, fromDatabase: false });
    expect(asDatabaseUnavailable(new TypeError('x is undefined'))).toBeUndefined();
  });
});
