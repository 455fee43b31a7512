// The composition root without HTTP, on the real database: every service is
// built once, started in order, stopped in reverse by stop(), and the
// scheduled jobs (snapshot retention purge, enrollment expiry) run on their
// clock.
import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { stat } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { snapshotAbsolutePath, writeSnapshot } from '../../src/attendance/snapshots.js';
import { ENROLLMENT_EXPIRY_JOB, IDEMPOTENCY_PURGE_JOB, SNAPSHOT_PURGE_JOB } from '../../src/services/create-services.js';
import { makeAttendance, makeEmployee } from '../helpers/factories.js';
import { createServiceKit, type ServiceKit } from '../helpers/service-kit.js';
import { waitUntil as until } from '../helpers/wait.js';

// The data folder is secured and the outbox (no database needed) starts before anything that needs the database.
const START_ORDER = [
  'data folder',
  'attendance outbox',
  'bootstrap admin key',
  'recognition models',
  'models reload',
  'training',
  'enrollment sessions',
  'cameras',
  'scheduled jobs',
  'template encryption check',
];

let kit: ServiceKit | undefined;
afterEach(async () => {
  await kit?.stop();
  kit = undefined;
});

describe('composition root', () => {
  it('starts every service in order and stop() stops every one, after which no job runs', async () => {
    kit = await createServiceKit({ env: { ADMIN_API_KEY: `admin-${randomUUID()}` } });
    const { prisma } = kit.db;
    // A session a previous run left active: starting the enrollment service expires it.
    const left = await prisma.enrollmentSession.create({
      data: { id: randomUUID(), status: 'active', createdAt: new Date(Date.now() - 60_000), expiresAt: new Date(Date.now() + 600_000) },
    });
    const composed = kit.compose({ jobIntervals: { snapshotPurgeMs: 40, enrollmentExpiryMs: 40 } });
    expect(composed.lifetimes).toEqual(START_ORDER);
    expect(composed.jobs.jobs).toEqual([SNAPSHOT_PURGE_JOB, IDEMPOTENCY_PURGE_JOB, ENROLLMENT_EXPIRY_JOB]);
    expect(composed.states().every((s) => s.state === 'idle')).toBe(true);

    await composed.start();
    expect(composed.states()).toEqual(START_ORDER.map((name) => ({ name, state: 'running' })));
    expect(await prisma.apiKey.count({ where: { role: 'admin' } })).toBe(1);
    expect(await prisma.enrollmentSession.findUniqueOrThrow({ where: { id: left.id } })).toMatchObject({ status: 'expired', failureReason: 'server restarted' });
    expect((await stat(path.join(kit.dataDir, 'outbox'))).isDirectory()).toBe(true);
    await until('both jobs to run twice', () => composed.jobs.completedRuns(SNAPSHOT_PURGE_JOB) >= 2 && composed.jobs.completedRuns(ENROLLMENT_EXPIRY_JOB) >= 2);

    await composed.stop();
    expect(composed.states()).toEqual(START_ORDER.map((name) => ({ name, state: 'stopped' })));
    const runs = [composed.jobs.completedRuns(SNAPSHOT_PURGE_JOB), composed.jobs.completedRuns(ENROLLMENT_EXPIRY_JOB)];
    await new Promise((r) => setTimeout(r, 200));
    expect([composed.jobs.completedRuns(SNAPSHOT_PURGE_JOB), composed.jobs.completedRuns(ENROLLMENT_EXPIRY_JOB)]).toEqual(runs);
    // Idempotent, and a stopped root does not start again.
    await composed.stop();
    await expect(composed.start()).rejects.toThrow(/stopped/);
  });

  it('stop() without start() is safe and leaves every lifetime stopped', async () => {
    kit = await createServiceKit();
    const composed = kit.compose();
    await composed.stop();
    expect(composed.states().map((s) => s.state)).toEqual(START_ORDER.filter((n) => n !== 'bootstrap admin key').map(() => 'stopped'));
    expect(composed.jobs.completedRuns(SNAPSHOT_PURGE_JOB)).toBe(0);
  });

  it('the snapshot retention purge runs on its schedule and deletes expired snapshot files only', async () => {
    kit = await createServiceKit({ env: { SNAPSHOT_RETENTION_DAYS: '30' } });
    const { prisma } = kit.db;
    const composed = kit.compose({ jobIntervals: { snapshotPurgeMs: 100 } });
    await composed.start();
    // The run at start found nothing; what expires later is caught by a later tick.
    await until('the purge at start', () => composed.jobs.completedRuns(SNAPSHOT_PURGE_JOB) >= 1);
    // Files first: a tick between the rows and the files would clear a row whose file is not there yet.
    const jpeg = new Uint8Array([0xff, 0xd8, 0xff, 0xd9]);
    await writeSnapshot(kit.dataDir, 'snapshots/old/expired.jpg', jpeg);
    await writeSnapshot(kit.dataDir, 'snapshots/new/kept.jpg', jpeg);
    const employee = await makeEmployee(prisma);
    const now = Date.now();
    const expired = await makeAttendance(prisma, employee.id, new Date(now - 40 * 86_400_000), { snapshotPath: 'snapshots/old/expired.jpg' });
    const kept = await makeAttendance(prisma, employee.id, new Date(now - 86_400_000), { snapshotPath: 'snapshots/new/kept.jpg' });
    await prisma.attendanceLog.update({ where: { id: expired.id }, data: { snapshotExpiresAt: new Date(now - 10 * 86_400_000) } });
    await prisma.attendanceLog.update({ where: { id: kept.id }, data: { snapshotExpiresAt: new Date(now + 29 * 86_400_000) } });
    const expiredFile = snapshotAbsolutePath(kit.dataDir, 'snapshots/old/expired.jpg');
    const runsBefore = composed.jobs.completedRuns(SNAPSHOT_PURGE_JOB);

    await until('the expired snapshot to be deleted', () => !existsSync(expiredFile));
    await until('that run to finish', () => composed.jobs.completedRuns(SNAPSHOT_PURGE_JOB) > runsBefore);
    await until('its row to be cleared', async () => (await prisma.attendanceLog.findUniqueOrThrow({ where: { id: expired.id } })).snapshotPath === null);
    expect(existsSync(snapshotAbsolutePath(kit.dataDir, 'snapshots/new/kept.jpg'))).toBe(true);
    expect(await prisma.attendanceLog.findUniqueOrThrow({ where: { id: kept.id } })).toMatchObject({ snapshotPath: 'snapshots/new/kept.jpg' });
    // The log itself stays: only the picture goes.
    expect(await prisma.attendanceLog.count()).toBe(2);
  });
});
