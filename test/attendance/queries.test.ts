// Read side against the real database: list filters and pagination, today,
// check-in status, statistics against hand-computed numbers, CSV content.
import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EmployeeNotFoundError, ValidationError } from '../../src/domain/errors.js';
import { cameraId, employeeId } from '../../src/domain/ids.js';
import type { Camera, Employee } from '../../src/generated/prisma/client.js';
import { createTestDatabase, type TestDatabase } from '../helpers/database.js';
import { makeCamera, makeEmployee } from '../helpers/factories.js';
import { createServiceFixture, type ServiceFixture } from './service-fixture.js';

let db: TestDatabase;
let fx: ServiceFixture;
let e: Employee[];
let front: Camera;
let back: Camera;
let voidedId: number;

// New York in June is UTC-4. Today is 2024-06-12; shift 09:00 + 5 min grace.
beforeAll(async () => {
  db = await createTestDatabase();
  fx = await createServiceFixture(db.prisma);
  e = [
    await makeEmployee(db.prisma, { employeeCode: 'A-1', fullName: 'Alice Adams' }),
    await makeEmployee(db.prisma, { employeeCode: 'B-2', fullName: 'Bob, Jr.' }),
    await makeEmployee(db.prisma, { employeeCode: 'C-3', fullName: 'Chloé Chen' }),
    await makeEmployee(db.prisma, { employeeCode: 'D-4', fullName: 'Dan Diaz' }),
  ];
  // Inactive: not in the attendance-rate denominator.
  await makeEmployee(db.prisma, { employeeCode: 'X-9', fullName: 'Former', isActive: false });
  front = await makeCamera(db.prisma, 'Front door');
  back = await makeCamera(db.prisma, 'Back door');
  const rec = async (i: number, cam: Camera, utc: string, confidence: number, method: 'svm' | 'cosine') => {
    const r = await fx.service.recordRecognition({
      employeeId: employeeId((e[i] as Employee).id),
      cameraId: cameraId(cam.id),
      at: new Date(utc),
      confidence,
      method,
    });
    if (r.kind !== 'logged') {
      throw new Error(`seed event not logged: ${JSON.stringify(r)}`);
    }
    return r.log;
  };
  await rec(3, front, '2024-06-09T13:00:00Z', 0.2, 'svm'); // before the range
  await rec(0, front, '2024-06-10T12:55:00Z', 0.9, 'svm'); // 08:55
  await rec(0, back, '2024-06-10T21:00:00Z', 0.8, 'svm'); // 17:00 check-out
  await rec(1, front, '2024-06-10T13:06:00Z', 0.7, 'cosine'); // 09:06 late
  await rec(2, front, '2024-06-10T13:05:00Z', 0.6, 'cosine'); // 09:05 on the dot: on time
  await rec(3, front, '2024-06-11T13:00:00Z', 0.5, 'svm');
  await rec(0, front, '2024-06-12T13:30:00Z', 1.0, 'svm'); // 09:30 late
  await rec(1, front, '2024-06-12T12:00:00Z', 0.4, 'cosine');
  const wrong = await rec(2, front, '2024-06-12T12:30:00Z', 0.1, 'cosine');
  voidedId = (await fx.service.voidLog({ logId: wrong.id, actor: 'test', reason: 'misidentified' })).id;
});

afterAll(async () => {
  await fx?.cleanup();
  await db?.drop();
});

describe('listLogs', () => {
  it('filters by employee, date range, camera and method; voided logs only on request', async () => {
    const alice = (e[0] as Employee).id;
    expect((await fx.service.listLogs({ employeeId: alice })).total).toBe(3);
    expect((await fx.service.listLogs({ from: '2024-06-10', to: '2024-06-10' })).total).toBe(4);
    const backLogs = await fx.service.listLogs({ cameraId: back.id });
    expect(backLogs.items.map((l) => [l.employeeId, l.eventType])).toEqual([[alice, 'check_out']]);
    expect((await fx.service.listLogs({ method: 'cosine' })).total).toBe(3);
    expect((await fx.service.listLogs({ method: 'cosine', includeVoided: true })).total).toBe(4);
    expect((await fx.service.listLogs({ eventType: 'check_out' })).total).toBe(1);
  });

  it('pages newest first with a total', async () => {
    const p1 = await fx.service.listLogs({}, { limit: 3 });
    const p2 = await fx.service.listLogs({}, { limit: 3, skip: 3 });
    const all = await fx.service.listLogs({}, { limit: 100 });
    expect(p1.total).toBe(8);
    expect(all.items).toHaveLength(8);
    expect([...p1.items, ...p2.items].map((l) => l.id)).toEqual(all.items.slice(0, 6).map((l) => l.id));
    const times = all.items.map((l) => l.checkInTime.getTime());
    expect(times).toEqual([...times].sort((a, b) => b - a));
    expect(all.items.some((l) => l.id === voidedId)).toBe(false);
  });

  it('rejects malformed dates', async () => {
    await expect(fx.service.listLogs({ from: '2024-6-1' })).rejects.toBeInstanceOf(ValidationError);
    await expect(fx.service.stats({ from: '2024-06-12', to: '2024-06-01' })).rejects.toBeInstanceOf(ValidationError);
  });
});

describe('today, employee history and check-in status', () => {
  it('lists today in the configured zone, without voided logs', async () => {
    const today = await fx.service.todayLogs();
    expect(today.items.map((l) => l.employeeId).sort()).toEqual([(e[0] as Employee).id, (e[1] as Employee).id].sort());
  });

  it('answers per employee, and 404s an unknown one', async () => {
    const hist = await fx.service.employeeLogs((e[0] as Employee).id, { from: '2024-06-10', to: '2024-06-10' });
    expect(hist.items.map((l) => l.eventType)).toEqual(['check_out', 'check_in']);
    await expect(fx.service.employeeLogs(424242)).rejects.toBeInstanceOf(EmployeeNotFoundError);
    await expect(fx.service.checkInStatus(424242)).rejects.toBeInstanceOf(EmployeeNotFoundError);
  });

  it('reports check-in status for today', async () => {
    expect(await fx.service.checkInStatus((e[0] as Employee).id)).toEqual({
      employeeId: (e[0] as Employee).id,
      date: '2024-06-12',
      checkedIn: true,
      checkInTime: new Date('2024-06-12T13:30:00Z'),
      checkOutTime: null,
      lastSeenTime: new Date('2024-06-12T13:30:00Z'),
      logCount: 1,
    });
    // Chloé's only log today was voided.
    expect(await fx.service.checkInStatus((e[2] as Employee).id)).toMatchObject({ checkedIn: false, checkInTime: null });
  });
});

describe('stats', () => {
  it('matches the hand-computed numbers for 2024-06-10..12', async () => {
    const s = await fx.service.stats({ from: '2024-06-10', to: '2024-06-12' });
    expect(s).toMatchObject({
      totalEmployees: 4,
      today: '2024-06-12',
      presentToday: 2,
      absentToday: 2,
      attendanceRate: 0.5,
      lateToday: 1,
      lateArrivals: 2,
      totalLogs: 7,
    });
    expect(s.days).toEqual([
      { date: '2024-06-10', present: 3, logs: 4, attendanceRate: 0.75, late: 1 },
      { date: '2024-06-11', present: 1, logs: 1, attendanceRate: 0.25, late: 0 },
      { date: '2024-06-12', present: 2, logs: 2, attendanceRate: 0.5, late: 1 },
    ]);
    // (0.9 + 0.8 + 0.7 + 0.6 + 0.5 + 1.0 + 0.4) / 7; the voided 0.1 is left out
    expect(s.averageConfidence).toBeCloseTo(4.9 / 7, 12);
  });

  it('defaults to the last 7 local days', async () => {
    const s = await fx.service.stats();
    expect(s.from).toBe('2024-06-06');
    expect(s.to).toBe('2024-06-12');
    expect(s.days).toHaveLength(7);
    expect(s.totalLogs).toBe(8);
    expect(s.averageConfidence).toBeCloseTo(5.1 / 8, 12);
  });
});

describe('CSV export', () => {
  it('writes the range oldest first with employee code, name, camera and local times', async () => {
    const rows = parse(await fx.service.exportCsv({ from: '2024-06-10', to: '2024-06-10' }));
    expect(rows[0]).toEqual([
      'id',
      'employee_code',
      'employee_name',
      'event_type',
      'check_in_time',
      'local_date',
      'confidence_score',
      'recognition_method',
      'camera',
      'voided',
    ]);
    expect(rows.slice(1).map((r) => r.slice(1))).toEqual([
      ['A-1', 'Alice Adams', 'check_in', '2024-06-10T08:55:00.000-04:00', '2024-06-10', '0.9', 'svm', 'Front door', 'false'],
      ['C-3', 'Chloé Chen', 'check_in', '2024-06-10T09:05:00.000-04:00', '2024-06-10', '0.6', 'cosine', 'Front door', 'false'],
      ['B-2', 'Bob, Jr.', 'check_in', '2024-06-10T09:06:00.000-04:00', '2024-06-10', '0.7', 'cosine', 'Front door', 'false'],
      ['A-1', 'Alice Adams', 'check_out', '2024-06-10T17:00:00.000-04:00', '2024-06-10', '0.8', 'svm', 'Back door', 'false'],
    ]);
  });

  it('includes voided logs, marked, only when asked', async () => {
    const plain = parse(await fx.service.exportCsv({ from: '2024-06-12', to: '2024-06-12' }));
    const all = parse(await fx.service.exportCsv({ from: '2024-06-12', to: '2024-06-12', includeVoided: true }));
    expect(plain).toHaveLength(3);
    expect(all).toHaveLength(4);
    expect(all.find((r) => r[0] === String(voidedId))?.[9]).toBe('true');
  });
});
