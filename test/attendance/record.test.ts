// Recording recognitions against the real database: dedupe across cameras,
// idempotency, concurrency, check-in/check-out pairing, time-zone days, snapshots.
import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cameraId, employeeId } from '../../src/domain/ids.js';
import type { RecordResult } from '../../src/attendance/types.js';
import { createTestDatabase, type TestDatabase } from '../helpers/database.js';
import { makeCamera, makeEmployee } from '../helpers/factories.js';
import { createServiceFixture, type ServiceFixture } from './service-fixture.js';

let db: TestDatabase;
let fx: ServiceFixture;

beforeAll(async () => {
  db = await createTestDatabase();
  fx = await createServiceFixture(db.prisma);
});

afterAll(async () => {
  await fx?.cleanup();
  await db?.drop();
});

// New York, June: local = UTC - 4 h
const at = (utc: string): Date => new Date(utc);

async function seed(): Promise<{ emp: number; camA: number; camB: number }> {
  const e = await makeEmployee(db.prisma);
  const a = await makeCamera(db.prisma);
  const b = await makeCamera(db.prisma);
  return { emp: e.id, camA: a.id, camB: b.id };
}

function event(emp: number, cam: number | null, when: string, extra: { eventId?: string; confidence?: number } = {}) {
  return {
    employeeId: employeeId(emp),
    cameraId: cam === null ? null : cameraId(cam),
    at: at(when),
    confidence: extra.confidence ?? 0.8,
    method: 'svm' as const,
    ...(extra.eventId !== undefined && { eventId: extra.eventId }),
  };
}

const logsOf = (emp: number) =>
  db.prisma.attendanceLog.findMany({ where: { employeeId: emp }, orderBy: { checkInTime: 'asc' } });

describe('dedupe window across cameras', () => {
  it('drops a second sighting by another camera inside the window and keeps one after it', async () => {
    const { emp, camA, camB } = await seed();
    const first = await fx.service.recordRecognition(event(emp, camA, '2024-06-12T12:55:00Z'));
    expect(first.kind).toBe('logged');
    const firstId = first.kind === 'logged' ? first.log.id : -1;

    const second = await fx.service.recordRecognition(event(emp, camB, '2024-06-12T12:59:59Z'));
    expect(second).toEqual({ kind: 'duplicate', reason: 'dedupe_window', existingLogId: firstId });

    const third = await fx.service.recordRecognition(event(emp, camB, '2024-06-12T13:00:00Z'));
    expect(third.kind).toBe('logged');
    const logs = await logsOf(emp);
    expect(logs.map((l) => [l.cameraId, l.eventType])).toEqual([
      [camA, 'check_in'],
      [camB, 'seen'],
    ]);
  });
});

describe('idempotency', () => {
  it('turns the same event sent twice into one log (given and derived event ids)', async () => {
    const { emp, camA } = await seed();
    const given = event(emp, camA, '2024-06-12T13:00:00Z', { eventId: 'req-42' });
    const a = await fx.service.recordRecognition(given);
    const b = await fx.service.recordRecognition(given);
    expect(a.kind).toBe('logged');
    expect(b).toEqual({ kind: 'duplicate', reason: 'same_event', existingLogId: a.kind === 'logged' ? a.log.id : -1 });

    // No id given: derived from employee + camera + time, so a retry is recognised.
    const derived = event(emp, camA, '2024-06-12T15:00:00Z');
    const c = await fx.service.recordRecognition(derived);
    const d = await fx.service.recordRecognition(derived);
    expect(c.kind).toBe('logged');
    expect(d).toMatchObject({ kind: 'duplicate', reason: 'same_event' });
    expect(await logsOf(emp)).toHaveLength(2);
  });

  it('publishes attendanceLogged once per new log, never for duplicates', async () => {
    const { emp, camA, camB } = await seed();
    const before = fx.published.length;
    await fx.service.recordRecognition(event(emp, camA, '2024-06-12T13:00:00Z'));
    await fx.service.recordRecognition(event(emp, camB, '2024-06-12T13:01:00Z'));
    await fx.service.recordRecognition(event(emp, camA, '2024-06-12T13:00:00Z'));
    const mine = fx.published.slice(before);
    expect(mine).toHaveLength(1);
    expect(mine[0]).toMatchObject({ employeeId: emp, cameraId: camA, eventType: 'check_in' });
  });
});

describe('concurrency', () => {
  it('10 concurrent events for one employee from two cameras make exactly one log', async () => {
    const { emp, camA, camB } = await seed();
    const results = await Promise.all(
      Array.from({ length: 10 }, (_, i) =>
        fx.service.recordRecognition(event(emp, i % 2 === 0 ? camA : camB, `2024-06-12T13:00:0${i}Z`)),
      ),
    );
    const kinds = results.map((r) => r.kind).sort();
    expect(kinds.filter((k) => k === 'logged')).toHaveLength(1);
    expect(kinds.filter((k) => k === 'duplicate')).toHaveLength(9);
    const logs = await logsOf(emp);
    expect(logs).toHaveLength(1);
    const logged = results.find((r): r is Extract<RecordResult, { kind: 'logged' }> => r.kind === 'logged');
    for (const r of results) {
      if (r.kind === 'duplicate') {
        expect(r.existingLogId).toBe(logged?.log.id);
      }
    }
  });

  it('10 concurrent copies of the same event make one log', async () => {
    const { emp, camA } = await seed();
    const same = event(emp, camA, '2024-06-12T13:00:00Z', { eventId: `dup-${emp}` });
    const results = await Promise.all(Array.from({ length: 10 }, () => fx.service.recordRecognition(same)));
    expect(results.filter((r) => r.kind === 'logged')).toHaveLength(1);
    expect(results.filter((r) => r.kind === 'duplicate' && r.reason === 'same_event')).toHaveLength(9);
    expect(await logsOf(emp)).toHaveLength(1);
  });
});

describe('check-in / check-out pairing', () => {
  it('first log of the day checks in, the latest one 4 h later checks out and a later one takes it over', async () => {
    const { emp, camA, camB } = await seed();
    const r = (when: string, cam = camA) => fx.service.recordRecognition(event(emp, cam, when));
    await r('2024-06-12T12:50:00Z'); // 08:50 check in
    await r('2024-06-12T15:00:00Z', camB); // 11:00 seen
    const labels = async () => (await logsOf(emp)).map((l) => `${l.checkInTime.toISOString().slice(11, 16)} ${l.eventType}`);
    expect(await labels()).toEqual(['12:50 check_in', '15:00 seen']);

    await r('2024-06-12T21:00:00Z'); // 17:00: 8 h 10 after check-in
    expect(await labels()).toEqual(['12:50 check_in', '15:00 seen', '21:00 check_out']);

    await r('2024-06-12T21:30:00Z', camB); // 17:30 takes over the check-out
    expect(await labels()).toEqual(['12:50 check_in', '15:00 seen', '21:00 seen', '21:30 check_out']);

    await r('2024-06-13T12:58:00Z'); // next day: a new check-in
    const next = await db.prisma.attendanceLog.findMany({ where: { employeeId: emp, localDate: '2024-06-13' } });
    expect(next.map((l) => l.eventType)).toEqual(['check_in']);
    // Exactly one check-in and at most one check-out per day.
    const perDay = await db.prisma.attendanceLog.groupBy({
      by: ['localDate', 'eventType'],
      where: { employeeId: emp },
      _count: { _all: true },
    });
    for (const g of perDay) {
      if (g.eventType !== 'seen') {
        expect(g._count._all).toBe(1);
      }
    }
  });

  it('without CHECKOUT_ENABLED later logs stay sightings', async () => {
    const off = await createServiceFixture(db.prisma, { CHECKOUT_ENABLED: false });
    try {
      const { emp, camA } = await seed();
      await off.service.recordRecognition(event(emp, camA, '2024-06-12T12:50:00Z'));
      await off.service.recordRecognition(event(emp, camA, '2024-06-12T21:00:00Z'));
      expect((await logsOf(emp)).map((l) => l.eventType)).toEqual(['check_in', 'seen']);
    } finally {
      await off.cleanup();
    }
  });
});

describe('time-zone day boundaries', () => {
  it('a check-in at 23:30 and one at 00:30 local are two days, two check-ins, though the same UTC day', async () => {
    const { emp, camA } = await seed();
    const late = await fx.service.recordRecognition(event(emp, camA, '2024-06-15T03:30:00Z')); // 06-14 23:30 EDT
    const early = await fx.service.recordRecognition(event(emp, camA, '2024-06-15T04:30:00Z')); // 06-15 00:30 EDT
    expect(late).toMatchObject({ kind: 'logged', log: { localDate: '2024-06-14', eventType: 'check_in' } });
    expect(early).toMatchObject({ kind: 'logged', log: { localDate: '2024-06-15', eventType: 'check_in' } });

    fx.setNow('2024-06-15T04:45:00Z'); // 00:45 local on the 15th
    expect(fx.service.today()).toBe('2024-06-15');
    const status = await fx.service.checkInStatus(emp);
    expect(status).toMatchObject({ date: '2024-06-15', checkedIn: true, logCount: 1 });
    expect(status.checkInTime?.toISOString()).toBe('2024-06-15T04:30:00.000Z');
    const today = await fx.service.todayLogs();
    expect(today.items.filter((l) => l.employeeId === emp).map((l) => l.localDate)).toEqual(['2024-06-15']);

    fx.setNow('2024-06-15T03:45:00Z'); // 23:45 local on the 14th
    expect(fx.service.today()).toBe('2024-06-14');
    expect((await fx.service.checkInStatus(emp)).checkInTime?.toISOString()).toBe('2024-06-15T03:30:00.000Z');
    fx.setNow('2024-06-12T16:00:00Z');
  });

  it('the dedupe window spans midnight: 23:58 and 00:01 local are one log', async () => {
    const { emp, camA, camB } = await seed();
    await fx.service.recordRecognition(event(emp, camA, '2024-06-16T03:58:00Z'));
    const r = await fx.service.recordRecognition(event(emp, camB, '2024-06-16T04:01:00Z'));
    expect(r).toMatchObject({ kind: 'duplicate', reason: 'dedupe_window' });
  });
});

describe('rejections', () => {
  it('rejects unknown employees and cameras without writing anything', async () => {
    const { emp } = await seed();
    expect(await fx.service.recordRecognition(event(999_999, null, '2024-06-12T13:00:00Z'))).toEqual({
      kind: 'rejected',
      reason: 'unknown_employee',
    });
    expect(await fx.service.recordRecognition(event(emp, 999_999, '2024-06-12T13:00:00Z'))).toEqual({
      kind: 'rejected',
      reason: 'unknown_camera',
    });
    expect(await logsOf(emp)).toHaveLength(0);
    await expect(fx.service.recordRecognition({ ...event(emp, null, '2024-06-12T13:00:00Z'), confidence: 1.5 })).rejects.toThrow(
      /confidence/,
    );
  });
});

describe('snapshots', () => {
  it('saves the face crop under DATA_DIR/snapshots/<localDate>/<eventId>.jpg and purges it after retention', async () => {
    const { emp, camA } = await seed();
    const jpeg = new Uint8Array([0xff, 0xd8, 0xff, 0xe0, 1, 2, 3, 0xff, 0xd9]);
    fx.setNow('2024-06-12T16:00:00Z');
    const r = await fx.service.recordRecognition({ ...event(emp, camA, '2024-06-12T13:00:00Z'), snapshotJpeg: jpeg });
    if (r.kind !== 'logged') {
      throw new Error(`expected logged, got ${r.kind}`);
    }
    expect(r.log.snapshotPath).toBe(join('snapshots', '2024-06-12', `${r.log.eventId}.jpg`));
    expect(r.log.snapshotExpiresAt?.toISOString()).toBe('2024-07-12T16:00:00.000Z');
    const file = join(fx.dataDir, r.log.snapshotPath ?? '');
    expect(new Uint8Array(await readFile(file))).toEqual(jpeg);

    fx.setNow('2024-07-12T15:59:59Z');
    expect(await fx.service.purgeExpiredSnapshots()).toBe(0);
    fx.setNow('2024-07-12T16:00:00Z');
    expect(await fx.service.purgeExpiredSnapshots()).toBeGreaterThanOrEqual(1);
    await expect(stat(file)).rejects.toMatchObject({ code: 'ENOENT' });
    const after = await db.prisma.attendanceLog.findUniqueOrThrow({ where: { id: r.log.id } });
    expect(after.snapshotPath).toBeNull();
    fx.setNow('2024-06-12T16:00:00Z');
  });
});
