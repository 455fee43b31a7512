// Admin corrections against the real database: add, edit, void, each with an
// audit entry holding before/after; labels recomputed; voided logs leave stats.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConflictError, NotFoundError, ValidationError } from '../../src/domain/errors.js';
import { cameraId, employeeId } from '../../src/domain/ids.js';
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

const auditOf = (logId: number) =>
  db.prisma.auditLog.findMany({ where: { entityType: 'AttendanceLog', entityId: String(logId) }, orderBy: { id: 'asc' } });

async function recognized(emp: number, cam: number, utc: string) {
  const r = await fx.service.recordRecognition({
    employeeId: employeeId(emp),
    cameraId: cameraId(cam),
    at: new Date(utc),
    confidence: 0.8,
    method: 'svm',
  });
  if (r.kind !== 'logged') {
    throw new Error(`expected logged, got ${r.kind}`);
  }
  return r.log;
}

describe('add', () => {
  it('adds a manual log that becomes the check-in when earlier, with an audit entry', async () => {
    const emp = await makeEmployee(db.prisma);
    const cam = await makeCamera(db.prisma);
    const seen = await recognized(emp.id, cam.id, '2024-06-12T13:30:00Z'); // 09:30
    const added = await fx.service.addLog({
      employeeId: emp.id,
      at: new Date('2024-06-12T12:45:00Z'), // 08:45: badge forgotten, came in earlier
      cameraId: null,
      actor: 'api-key:1:admin',
      reason: 'camera was down at 08:45',
    });
    expect(added).toMatchObject({ recognitionMethod: 'manual', eventType: 'check_in', localDate: '2024-06-12', confidenceScore: 1 });
    const relabeled = await db.prisma.attendanceLog.findUniqueOrThrow({ where: { id: seen.id } });
    expect(relabeled.eventType).toBe('seen');

    const audit = await auditOf(added.id);
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ actor: 'api-key:1:admin', action: 'attendance.add', reason: 'camera was down at 08:45', before: null });
    expect(audit[0]?.after).toMatchObject({ id: added.id, checkInTime: '2024-06-12T12:45:00.000Z', eventType: 'check_in' });
  });

  it('refuses an unknown employee or camera and an empty reason', async () => {
    const emp = await makeEmployee(db.prisma);
    const base = { employeeId: emp.id, at: new Date('2024-06-12T13:00:00Z'), actor: 'admin', reason: 'x' };
    await expect(fx.service.addLog({ ...base, employeeId: 987654 })).rejects.toBeInstanceOf(NotFoundError);
    await expect(fx.service.addLog({ ...base, cameraId: 987654 })).rejects.toBeInstanceOf(NotFoundError);
    await expect(fx.service.addLog({ ...base, reason: '   ' })).rejects.toBeInstanceOf(ValidationError);
    expect(await db.prisma.attendanceLog.count({ where: { employeeId: emp.id } })).toBe(0);
  });
});

describe('edit', () => {
  it('moves a log to another local day, relabels both days and audits before/after', async () => {
    const emp = await makeEmployee(db.prisma);
    const cam = await makeCamera(db.prisma);
    const other = await makeCamera(db.prisma);
    const a = await recognized(emp.id, cam.id, '2024-06-12T12:50:00Z'); // 06-12 08:50 check_in
    const b = await recognized(emp.id, cam.id, '2024-06-12T14:00:00Z'); // 06-12 10:00 seen
    expect(b.eventType).toBe('seen');

    // Wrong clock on the camera: the first log really was the previous evening at 23:30 local.
    const edited = await fx.service.editLog({
      logId: a.id,
      at: new Date('2024-06-12T03:30:00Z'),
      cameraId: other.id,
      actor: 'admin',
      reason: 'camera clock was wrong',
    });
    expect(edited).toMatchObject({ localDate: '2024-06-11', eventType: 'check_in', cameraId: other.id });
    expect((await db.prisma.attendanceLog.findUniqueOrThrow({ where: { id: b.id } })).eventType).toBe('check_in');

    const [entry] = await auditOf(a.id);
    expect(entry).toMatchObject({ action: 'attendance.edit', reason: 'camera clock was wrong' });
    expect(entry?.before).toMatchObject({ checkInTime: '2024-06-12T12:50:00.000Z', localDate: '2024-06-12', cameraId: cam.id });
    expect(entry?.after).toMatchObject({ checkInTime: '2024-06-12T03:30:00.000Z', localDate: '2024-06-11', cameraId: other.id });
  });
});

describe('void', () => {
  it('voids with a reason: audited, next log becomes the check-in, out of stats and out of the dedupe window', async () => {
    const emp = await makeEmployee(db.prisma);
    const cam = await makeCamera(db.prisma);
    fx.setNow('2024-06-20T16:00:00Z');
    const wrong = await recognized(emp.id, cam.id, '2024-06-20T12:00:00Z'); // 08:00: someone else
    const real = await recognized(emp.id, cam.id, '2024-06-20T13:20:00Z'); // 09:20: late
    const before = await fx.service.stats({ from: '2024-06-20', to: '2024-06-20' });
    expect(before.days[0]).toMatchObject({ logs: 2, late: 0 });

    const voided = await fx.service.voidLog({ logId: wrong.id, actor: 'admin', reason: 'misidentified visitor' });
    expect(voided.voidedAt?.toISOString()).toBe('2024-06-20T16:00:00.000Z');
    expect(voided.voidReason).toBe('misidentified visitor');
    expect((await db.prisma.attendanceLog.findUniqueOrThrow({ where: { id: real.id } })).eventType).toBe('check_in');

    const after = await fx.service.stats({ from: '2024-06-20', to: '2024-06-20' });
    // The 08:00 log no longer hides the 09:20 arrival: now late.
    expect(after.days[0]).toMatchObject({ logs: 1, late: 1 });
    expect(after.averageConfidence).toBeCloseTo(0.8, 12);

    const [entry] = await auditOf(wrong.id);
    expect(entry).toMatchObject({ action: 'attendance.void', reason: 'misidentified visitor' });
    expect(entry?.before).toMatchObject({ voidedAt: null, eventType: 'check_in' });
    expect(entry?.after).toMatchObject({ voidedAt: '2024-06-20T16:00:00.000Z', voidReason: 'misidentified visitor' });

    // A sighting 2 minutes after the voided log is no longer a duplicate of it.
    const r = await fx.service.recordRecognition({
      employeeId: employeeId(emp.id),
      cameraId: cameraId(cam.id),
      at: new Date('2024-06-20T12:02:00Z'),
      confidence: 0.9,
      method: 'svm',
    });
    expect(r).toMatchObject({ kind: 'logged', log: { eventType: 'check_in' } });
    fx.setNow('2024-06-12T16:00:00Z');
  });

  it('refuses to void or edit a voided log, and 404s an unknown one', async () => {
    const emp = await makeEmployee(db.prisma);
    const cam = await makeCamera(db.prisma);
    const log = await recognized(emp.id, cam.id, '2024-06-21T13:00:00Z');
    await fx.service.voidLog({ logId: log.id, actor: 'admin', reason: 'test' });
    await expect(fx.service.voidLog({ logId: log.id, actor: 'admin', reason: 'again' })).rejects.toBeInstanceOf(ConflictError);
    await expect(fx.service.editLog({ logId: log.id, actor: 'admin', reason: 'edit', at: new Date() })).rejects.toBeInstanceOf(
      ConflictError,
    );
    await expect(fx.service.voidLog({ logId: 99_999_999, actor: 'admin', reason: 'x' })).rejects.toBeInstanceOf(NotFoundError);
    expect(await auditOf(log.id)).toHaveLength(1);
  });
});
