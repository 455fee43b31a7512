// The database goes away while check-ins arrive: a TCP proxy in front of
// MariaDB is cut and restored. Every event is acknowledged (logged or queued),
// and once the database is back each one is written exactly once.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { classifyDbError, isDatabaseFailure } from '../../src/db/prisma-errors.js';
import { JOURNAL_FILE } from '../../src/attendance/outbox.js';
import type { RecognitionEvent } from '../../src/attendance/types.js';
import { createPrisma } from '../../src/db/prisma.js';
import { cameraId, employeeId } from '../../src/domain/ids.js';
import type { PrismaClient } from '../../src/generated/prisma/client.js';
import { createTestDatabase, type TestDatabase } from '../helpers/database.js';
import { makeCamera, makeEmployee } from '../helpers/factories.js';
import { startTcpProxy, type TcpProxy } from '../helpers/tcp-proxy.js';
import { createServiceFixture, type ServiceFixture } from './service-fixture.js';

let db: TestDatabase;
let proxy: TcpProxy;
let viaProxy: PrismaClient;

const BACKOFF = { initial: 100, max: 400 };

beforeAll(async () => {
  db = await createTestDatabase();
  proxy = await startTcpProxy();
  // Short timeouts so an unreachable server is noticed in about a second.
  viaProxy = createPrisma(proxy.urlFor(db.url), { connectTimeoutMs: 300, acquireTimeoutMs: 700, queryTimeoutMs: 1000, connectionLimit: 4 });
});

afterAll(async () => {
  await viaProxy?.$disconnect();
  await proxy?.close();
  await db?.drop();
});

function waitFor<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  return Promise.race([
    p,
    new Promise<T>((_, reject) => setTimeout(() => reject(new Error(`timed out waiting for ${what}`)), ms)),
  ]);
}

const ev = (emp: number, cam: number, utc: string, eventId?: string): RecognitionEvent => ({
  employeeId: employeeId(emp),
  cameraId: cameraId(cam),
  at: new Date(utc),
  confidence: 0.9,
  method: 'cosine',
  ...(eventId !== undefined && { eventId }),
});

describe('database unreachable', () => {
  it('classifies the errors a cut connection produces as database failures that prove nothing bad, and others not', async () => {
    await viaProxy.$queryRaw`SELECT 1`;
    await proxy.cut();
    const errors: unknown[] = [];
    for (let i = 0; i < 2; i += 1) {
      await viaProxy.$queryRaw`SELECT 1`.catch((e: unknown) => errors.push(e));
    }
    await viaProxy.$transaction(async (tx) => tx.$queryRaw`SELECT 1`).catch((e: unknown) => errors.push(e));
    await proxy.restore();
    expect(errors).toHaveLength(3);
    for (const e of errors) {
      expect(classifyDbError(e)).toMatchObject({ kind: 'not-proven-bad', fromDatabase: true });
      expect(isDatabaseFailure(e)).toBe(true);
    }
    // A query the server refuses every time proves itself bad: never queued, never a 503.
    const syntax = await viaProxy.$queryRawUnsafe('SELEC nonsense').catch((e: unknown) => e);
    expect(classifyDbError(syntax)).toMatchObject({ kind: 'proven-bad', code: '1064' });
    expect(isDatabaseFailure(syntax)).toBe(false);
    // A plain bug is not proven bad input (attendance queues it), but not the database's either (HTTP 500).
    expect(classifyDbError(new Error('boom'))).toEqual({ kind: 'not-proven-bad', code: null, fromDatabase: false });
    expect(isDatabaseFailure(new Error('boom'))).toBe(false);
  });

  it('queues check-ins while cut and writes each exactly once when restored', async () => {
    const fx = await createServiceFixture(viaProxy, {}, { outboxBackoffMs: BACKOFF });
    try {
      await fx.service.start();
      const [a, b, c] = [await makeEmployee(db.prisma), await makeEmployee(db.prisma), await makeEmployee(db.prisma)];
      const cam1 = await makeCamera(db.prisma);
      const cam2 = await makeCamera(db.prisma);
      // Up: a checks in normally.
      expect((await fx.service.recordRecognition(ev(a.id, cam1.id, '2024-06-12T12:00:00Z'))).kind).toBe('logged');

      await proxy.cut();
      const during = [
        ev(b.id, cam1.id, '2024-06-12T12:01:00Z'), // b check-in
        ev(b.id, cam2.id, '2024-06-12T12:03:00Z'), // b again inside the window: a duplicate after replay
        ev(c.id, cam2.id, '2024-06-12T12:02:00Z', 'client-evt-c1'), // c check-in
        ev(c.id, cam2.id, '2024-06-12T12:02:00Z', 'client-evt-c1'), // the same event retried
        ev(a.id, cam2.id, '2024-06-12T12:02:30Z'), // a inside the window of its logged check-in
        ev(a.id, cam1.id, '2024-06-12T13:00:00Z'), // a later: a new log (seen)
      ];
      const results = await Promise.all(during.map((e) => fx.service.recordRecognition(e)));
      expect(results.map((r) => r.kind)).toEqual(Array(6).fill('queued'));
      // While down, a new event of an employee with queued events queues too.
      expect(fx.service.outbox.hasPending(b.id)).toBe(true);
      const journal = await readFile(join(fx.dataDir, 'outbox', JOURNAL_FILE), 'utf8');
      expect(journal.trim().split('\n').length).toBeGreaterThanOrEqual(5);
      expect(fx.service.outbox.size).toBe(5); // the retried c1 is stored once
      expect(await db.prisma.attendanceLog.count()).toBe(1);

      await proxy.restore();
      await waitFor(fx.service.outbox.whenEmpty(), 15_000, 'the outbox to drain');

      const logs = await db.prisma.attendanceLog.findMany({ orderBy: [{ employeeId: 'asc' }, { checkInTime: 'asc' }] });
      expect(logs.map((l) => [l.employeeId, l.checkInTime.toISOString(), l.eventType])).toEqual([
        [a.id, '2024-06-12T12:00:00.000Z', 'check_in'],
        [a.id, '2024-06-12T13:00:00.000Z', 'seen'],
        [b.id, '2024-06-12T12:01:00.000Z', 'check_in'],
        [c.id, '2024-06-12T12:02:00.000Z', 'check_in'],
      ]);
      expect(logs.find((l) => l.employeeId === c.id)?.eventId).toBe('client-evt-c1');
      // Replayed logs are published like direct ones.
      expect(fx.published.map((l) => l.id).sort()).toEqual(logs.map((l) => l.id).sort());
      // Drained: the journal is compacted to nothing.
      expect(await readFile(join(fx.dataDir, 'outbox', JOURNAL_FILE), 'utf8')).toBe('');
    } finally {
      await proxy.restore();
      await fx.cleanup();
    }
  });

  it('loses and doubles nothing when the connection is cut and restored in the middle of a stream of check-ins', async () => {
    const fx = await createServiceFixture(viaProxy, { ATTENDANCE_DEDUPE_MINUTES: 5 }, { outboxBackoffMs: BACKOFF });
    try {
      await fx.service.start();
      const staff = [];
      for (let i = 0; i < 6; i += 1) {
        staff.push(await makeEmployee(db.prisma));
      }
      const cam = await makeCamera(db.prisma);
      // 6 employees x 5 sightings, 10 minutes apart (outside the window): 30 logs expected.
      const events = staff.flatMap((emp, i) =>
        Array.from({ length: 5 }, (_, k) => ev(emp.id, cam.id, new Date(Date.UTC(2024, 5, 14, 12, k * 10, i)).toISOString())),
      );
      const kinds: string[] = [];
      for (let start = 0; start < events.length; start += 6) {
        if (start === 12) {
          await proxy.cut();
        }
        if (start === 24) {
          await proxy.restore();
        }
        // Each batch arrives concurrently, and every event is also sent twice (client retry).
        const batch = events.slice(start, start + 6);
        const results = await Promise.all([...batch, ...batch].map((e) => fx.service.recordRecognition(e)));
        kinds.push(...results.map((r) => r.kind));
      }
      expect(kinds).toContain('queued');
      expect(kinds).not.toContain('rejected');
      await waitFor(fx.service.outbox.whenEmpty(), 20_000, 'the outbox to drain');
      const logs = await db.prisma.attendanceLog.findMany({ where: { employeeId: { in: staff.map((e) => e.id) } } });
      expect(logs).toHaveLength(30);
      expect(new Set(logs.map((l) => `${l.employeeId}@${l.checkInTime.toISOString()}`)).size).toBe(30);
      for (const emp of staff) {
        const mine = logs.filter((l) => l.employeeId === emp.id).sort((x, y) => +x.checkInTime - +y.checkInTime);
        expect(mine.map((l) => l.eventType)).toEqual(['check_in', 'seen', 'seen', 'seen', 'seen']);
      }
    } finally {
      await proxy.restore();
      await fx.cleanup();
    }
  });

  it('survives a restart: queued events are replayed by the next process, and a replay of an already written event is not doubled', async () => {
    const first = await createServiceFixture(viaProxy, {}, { outboxBackoffMs: BACKOFF });
    const dataDir = first.dataDir;
    const d = await makeEmployee(db.prisma);
    const cam = await makeCamera(db.prisma);
    let second: ServiceFixture | undefined;
    try {
      await first.service.start();
      await proxy.cut();
      expect((await first.service.recordRecognition(ev(d.id, cam.id, '2024-06-13T12:00:00Z', 'd-1'))).kind).toBe('queued');
      expect((await first.service.recordRecognition(ev(d.id, cam.id, '2024-06-13T20:00:00Z', 'd-2'))).kind).toBe('queued');
      // "Crash": stop without draining; the journal stays.
      await first.service.stop();
      await proxy.restore();
      // Meanwhile d-1 reached the database by another path (say, the commit
      // happened just before the crash and only the ack line was lost).
      const other = await createServiceFixture(db.prisma);
      expect((await other.service.recordRecognition(ev(d.id, cam.id, '2024-06-13T12:00:00Z', 'd-1'))).kind).toBe('logged');
      await other.cleanup();
      expect(await db.prisma.attendanceLog.count({ where: { employeeId: d.id } })).toBe(1);

      second = await createServiceFixture(viaProxy, {}, { dataDir, outboxBackoffMs: BACKOFF });
      await second.service.start();
      await waitFor(second.service.outbox.whenEmpty(), 15_000, 'the replay');
      const logs = await db.prisma.attendanceLog.findMany({ where: { employeeId: d.id }, orderBy: { checkInTime: 'asc' } });
      expect(logs.map((l) => [l.eventId, l.eventType])).toEqual([
        ['d-1', 'check_in'],
        ['d-2', 'check_out'],
      ]);
    } finally {
      await proxy.restore();
      await second?.cleanup();
      await first.cleanup();
    }
  });
});
