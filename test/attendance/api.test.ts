// Attendance through the real server: the REST shims' shapes, CSV download,
// corrections with roles, GraphQL with the employee DataLoader (bounded
// queries) and the attendanceLogged subscription over SSE.
import { parse as parseCsv } from 'csv-parse/sync';
import { parse } from 'graphql';
import type { TypedDocumentNode } from '@graphql-typed-document-node/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cameraId, employeeId } from '../../src/domain/ids.js';
import type { Camera, Employee } from '../../src/generated/prisma/client.js';
import { makeCamera, makeEmployee } from '../helpers/factories.js';
import { startTestApp, type TestApp } from '../helpers/test-app.js';

let t: TestApp;
let alice: Employee;
let bob: Employee;
let front: Camera;
let queries: string[] = [];

function gql<R>(source: string, variables: Record<string, unknown> = {}, key?: string) {
  const document: TypedDocumentNode<R, Record<string, unknown>> = parse(source);
  return t.gql(document, variables, key);
}

// New York (UTC-4 in June); "now" is 2024-06-12 12:00 local.
beforeAll(async () => {
  t = await startTestApp({
    env: { TIMEZONE: 'America/New_York', CHECKOUT_ENABLED: 'true', CHECKOUT_MIN_MINUTES: '240', SHIFT_START: '09:00' },
    overrides: { clock: () => new Date('2024-06-12T16:00:00Z') },
    prisma: { log: ['query'] },
  });
  (t.db.prisma as unknown as { $on(event: 'query', cb: (e: { query: string }) => void): void }).$on('query', (e) => {
    queries.push(e.query);
  });
  alice = await makeEmployee(t.db.prisma, { employeeCode: 'A-1', fullName: 'Alice Adams' });
  bob = await makeEmployee(t.db.prisma, { employeeCode: 'B-2', fullName: 'Bob Brown' });
  front = await makeCamera(t.db.prisma, 'Front door');
  const service = t.app.services.attendance;
  const rec = (e: Employee, utc: string, confidence = 0.9) =>
    service.recordRecognition({
      employeeId: employeeId(e.id),
      cameraId: cameraId(front.id),
      at: new Date(utc),
      confidence,
      method: 'svm',
    });
  await rec(alice, '2024-06-11T12:50:00Z'); // yesterday 08:50
  await rec(alice, '2024-06-12T12:55:00Z'); // today 08:55
  await rec(bob, '2024-06-12T13:20:00Z', 0.7); // today 09:20, late
});

afterAll(async () => {
  await t?.stop();
});

type LogJson = Record<string, unknown>;

describe('REST shims', () => {
  it('GET /api/v1/attendance/logs filters and answers snake_case with a total header', async () => {
    const res = await t.rest<LogJson[]>('GET', `/api/v1/attendance/logs?employee_id=${alice.id}&start_date=2024-06-12&end_date=2024-06-12`);
    expect(res.status).toBe(200);
    expect(res.headers.get('x-total-count')).toBe('1');
    expect(res.body).toEqual([
      {
        id: expect.any(Number) as number,
        event_id: expect.stringMatching(/^[0-9a-f]{64}$/) as string,
        employee_id: alice.id,
        employee_code: 'A-1',
        employee_name: 'Alice Adams',
        camera_id: front.id,
        check_in_time: '2024-06-12T12:55:00.000Z',
        check_in_time_local: '2024-06-12T08:55:00.000-04:00',
        local_date: '2024-06-12',
        event_type: 'check_in',
        confidence_score: 0.9,
        recognition_method: 'svm',
        has_snapshot: false,
        voided_at: null,
        void_reason: null,
      },
    ]);
    const bad = await t.rest<{ detail: unknown }>('GET', '/api/v1/attendance/logs?start_date=12-06-2024');
    expect(bad.status).toBe(422);
  });

  it('GET /today, /employee/{id} and /check-in-status/{id}', async () => {
    const today = await t.rest<LogJson[]>('GET', '/api/v1/attendance/today');
    expect(today.body.map((l) => l.employee_code).sort()).toEqual(['A-1', 'B-2']);
    const history = await t.rest<LogJson[]>('GET', `/api/v1/attendance/employee/${alice.id}`);
    expect(history.body.map((l) => l.local_date)).toEqual(['2024-06-12', '2024-06-11']);
    const status = await t.rest('GET', `/api/v1/attendance/check-in-status/${bob.id}`);
    expect(status.body).toEqual({
      employee_id: bob.id,
      date: '2024-06-12',
      checked_in: true,
      check_in_time: '2024-06-12T13:20:00.000Z',
      check_out_time: null,
      last_seen_time: '2024-06-12T13:20:00.000Z',
      log_count: 1,
    });
    const missing = await t.rest<{ detail: string }>('GET', '/api/v1/attendance/check-in-status/999999');
    expect(missing.status).toBe(404);
    expect(typeof missing.body.detail).toBe('string');
  });

  it('GET /stats counts today against hand-computed numbers', async () => {
    const res = await t.rest<Record<string, unknown>>('GET', '/api/v1/attendance/stats?start_date=2024-06-11&end_date=2024-06-12');
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      total_employees: 2,
      date: '2024-06-12',
      present_today: 2,
      absent_today: 0,
      attendance_rate: 1,
      late_today: 1,
      start_date: '2024-06-11',
      end_date: '2024-06-12',
      daily: [
        { date: '2024-06-11', present: 1, logs: 1, attendance_rate: 0.5, late: 0 },
        { date: '2024-06-12', present: 2, logs: 2, attendance_rate: 1, late: 1 },
      ],
      average_confidence: expect.closeTo((0.9 + 0.9 + 0.7) / 3, 12) as number,
      late_arrivals: 1,
      total_logs: 3,
    });
  });

  it('GET /export downloads CSV in local time', async () => {
    const res = await t.rest<string>('GET', '/api/v1/attendance/export?start_date=2024-06-12&end_date=2024-06-12');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('text/csv');
    expect(res.headers.get('content-disposition')).toContain('attendance_2024-06-12_2024-06-12.csv');
    const rows = parseCsv(res.body);
    expect(rows.map((r) => [r[1], r[2], r[3], r[4], r[8]])).toEqual([
      ['employee_code', 'employee_name', 'event_type', 'check_in_time', 'camera'],
      ['A-1', 'Alice Adams', 'check_in', '2024-06-12T08:55:00.000-04:00', 'Front door'],
      ['B-2', 'Bob Brown', 'check_in', '2024-06-12T09:20:00.000-04:00', 'Front door'],
    ]);
  });

  it('corrections are admin-only, need a reason and are audited', async () => {
    const operator = await t.createKey('operator');
    const body = { employee_id: bob.id, check_in_time: '2024-06-11T13:00:00Z', reason: 'forgot badge' };
    expect((await t.rest('POST', '/api/v1/attendance/logs', { body, key: operator })).status).toBe(403);
    expect((await t.rest('POST', '/api/v1/attendance/logs', { body: { ...body, reason: '' } })).status).toBe(422);
    const added = await t.rest<LogJson>('POST', '/api/v1/attendance/logs', { body });
    expect(added.status).toBe(201);
    expect(added.body).toMatchObject({ employee_id: bob.id, recognition_method: 'manual', event_type: 'check_in', local_date: '2024-06-11' });

    const voided = await t.rest<LogJson>('POST', `/api/v1/attendance/logs/${String(added.body.id)}/void`, { body: { reason: 'duplicate entry' } });
    expect(voided.status).toBe(200);
    expect(voided.body).toMatchObject({ voided_at: '2024-06-12T16:00:00.000Z', void_reason: 'duplicate entry' });
    expect((await t.rest('POST', `/api/v1/attendance/logs/${String(added.body.id)}/void`, { body: { reason: 'again' } })).status).toBe(409);
    const audit = await t.db.prisma.auditLog.findMany({ where: { entityType: 'AttendanceLog', entityId: String(added.body.id) } });
    expect(audit.map((a) => a.action)).toEqual(['attendance.add', 'attendance.void']);
    expect(audit[0]?.actor).toMatch(/^api-key:/);
  });
});

describe('GraphQL', () => {
  it('lists logs with their employees in a bounded number of queries', async () => {
    queries = [];
    const res = await gql<{ attendanceLogs: { totalCount: number; items: { employee: { fullName: string } | null }[] } }>(
      `query { attendanceLogs(take: 50) { ... on AttendanceLogPage { totalCount items { id eventType employee { fullName } } } } }`,
    );
    expect(res.errors).toBeUndefined();
    expect(res.data?.attendanceLogs.items.map((i) => i.employee?.fullName).sort()).toEqual(['Alice Adams', 'Alice Adams', 'Bob Brown']);
    const employeeQueries = queries.filter((q) => /\bFROM `Employee`/.test(q));
    expect(employeeQueries).toHaveLength(1); // one DataLoader batch for every log
    expect(queries.length).toBeLessThanOrEqual(5); // API key, logs, count, (key touch), employees
  });

  it('answers stats, check-in status and CSV, and types a validation error', async () => {
    const csv = await gql<{ attendanceCsv: { __typename: string; data?: string } }>(
      `query { attendanceCsv(from: "2024-06-11", to: "2024-06-11") { __typename ... on QueryAttendanceCsvSuccess { data } } }`,
    );
    expect(csv.errors).toBeUndefined();
    expect(csv.data?.attendanceCsv.data?.trim().split('\n')).toHaveLength(2);
    expect(csv.data?.attendanceCsv.data).toContain('2024-06-11T08:50:00.000-04:00');
    const status = await gql<{ checkInStatus: { checkedIn: boolean; checkInTime: string } }>(
      `query($id: Int!) { checkInStatus(employeeId: $id) { ... on CheckInStatus { checkedIn checkInTime } } }`,
      { id: alice.id },
    );
    expect(status.data?.checkInStatus).toEqual({ checkedIn: true, checkInTime: '2024-06-12T12:55:00.000Z' });
    const stats = await gql<{ attendanceStats: { presentToday: number; days: unknown[] } }>(
      `query { attendanceStats { ... on AttendanceStats { presentToday days { date } } } }`,
    );
    expect(stats.data?.attendanceStats).toMatchObject({ presentToday: 2 });
    expect(stats.data?.attendanceStats.days).toHaveLength(7);
    const bad = await gql<{ attendanceStats: { __typename: string } }>(
      `query { attendanceStats(from: "2024-06-12", to: "2024-06-01") { __typename } }`,
    );
    expect(bad.data?.attendanceStats.__typename).toBe('ValidationError');
  });

  it('delivers attendanceLogged over SSE when a recognition is logged', async () => {
    const controller = new AbortController();
    const response = await fetch(`${t.url}/graphql`, {
      method: 'POST',
      signal: controller.signal,
      headers: { 'content-type': 'application/json', accept: 'text/event-stream', authorization: `Bearer ${t.adminKey}` },
      body: JSON.stringify({
        query: `subscription { attendanceLogged(employeeId: ${bob.id}) { employeeId eventType localDate employee { employeeCode } } }`,
      }),
    });
    expect(response.status).toBe(200);
    const reader = (response.body as ReadableStream<Uint8Array>).getReader();
    const decoder = new TextDecoder();
    const received = (async () => {
      let text = '';
      for (;;) {
        const { value, done } = await reader.read();
        if (done) {
          throw new Error(`stream ended: ${text}`);
        }
        text += decoder.decode(value, { stream: true });
        const line = text.split('\n').find((l) => l.startsWith('data:') && l.includes('attendanceLogged'));
        if (line) {
          return JSON.parse(line.slice(5)) as { data: { attendanceLogged: unknown } };
        }
      }
    })();
    // Give the subscription a moment to be registered before publishing.
    await new Promise((r) => setTimeout(r, 200));
    const result = await t.app.services.attendance.recordRecognition({
      employeeId: employeeId(bob.id),
      cameraId: cameraId(front.id),
      at: new Date('2024-06-12T22:00:00Z'), // 18:00: Bob's check-out
      confidence: 0.8,
      method: 'cosine',
    });
    expect(result.kind).toBe('logged');
    const event = await Promise.race([
      received,
      new Promise<never>((_, reject) => setTimeout(() => reject(new Error('no event within 5 s')), 5_000)),
    ]);
    expect(event.data.attendanceLogged).toEqual({
      employeeId: bob.id,
      eventType: 'check_out',
      localDate: '2024-06-12',
      employee: { employeeCode: 'B-2' },
    });
    controller.abort();
    await reader.cancel().catch(() => undefined);
  });
});
