// Item 3 of the trust issue: least privilege. A kiosk that recognizes a face
// learns the person's name and code and nothing more (field scopes), cannot
// identify people without leaving an attendance trace, drives only enrollment
// sessions the database says it started, and what it enrolls is not
// recognized until an operator approves. Deactivated faces count in the
// duplicate-identity check. Every refusal changes nothing in the database.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestApp } from '../helpers/test-app.js';
import { seedPeopleFromPhotos, type SeededPerson } from '../helpers/seed-faces.js';
import { databaseFingerprint, photoBase64, rawGql, startProductionApp } from './fixture.js';

let t: TestApp;
let kiosk: string;
let otherKiosk: string;
let obama: SeededPerson;

beforeAll(async () => {
  t = await startProductionApp({
    env: {
      WORKER_POOL_SIZE: '1',
      AUTO_RETRAIN: 'false',
      AUGMENTATION_COUNT: '1',
      MAX_FACES_PER_FRAME: '1',
      // Frontal frames complete an enrollment: the probe is about who may do what, not pose coverage.
      ENROLLMENT_RING_SECTORS: '0',
      ENROLLMENT_MIN_FRAMES_PER_SECTOR: '1',
    },
  });
  obama = (await seedPeopleFromPhotos(t.app, ['obama']))[0]!;
  kiosk = await t.createKey('kiosk');
  otherKiosk = await t.createKey('kiosk');
}, 120_000);
afterAll(() => t?.stop());

const RECOGNIZE = (fields: string) => `mutation($f: String!) { recognize(frame: $f) { ... on RecognitionResult { faces { ${fields} } } } }`;

describe('a kiosk sees the name and code of whom it recognized, nothing more', () => {
  it('employee { email department lastSeenAt } is FORBIDDEN and leaks nothing', async () => {
    const res = await rawGql(t, RECOGNIZE('employeeName employee { email department lastSeenAt isActive }'), {
      key: kiosk,
      variables: { f: photoBase64('probes/obama-press.jpg') },
    });
    expect(res.body.errors?.map((e) => e.extensions?.code)).toContain('FORBIDDEN');
    expect(res.text).not.toContain('obama@example.com');
    expect(res.text).not.toContain('Faces'); // the department
  });

  it('fields of Employee other than id, code and name need employees:read wherever an Employee is reached', async () => {
    // Even through a path that reaches the Employee type, email stays closed to a kiosk.
    const res = await rawGql(t, `{ employee(id: ${obama.employee.id}) { ... on Employee { email } } }`, { key: kiosk });
    expect(res.body.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    expect(res.text).not.toContain('obama@example.com');
  });

  it('name and code are answered', async () => {
    const res = await rawGql(t, RECOGNIZE('employeeName employeeCode employeeId'), { key: kiosk, variables: { f: photoBase64('probes/obama-press.jpg') } });
    expect(res.body.errors).toBeUndefined();
    expect(res.body.data).toEqual({ recognize: { faces: [{ employeeName: 'Obama', employeeCode: 'FACE-obama', employeeId: obama.employee.id }] } });
  });

  it('an operator still reads the whole record', async () => {
    const operator = await t.createKey('operator');
    const res = await rawGql(t, RECOGNIZE('employee { email department }'), { key: operator, variables: { f: photoBase64('probes/obama-press.jpg') } });
    expect(res.body.errors).toBeUndefined();
    expect(res.text).toContain('obama@example.com');
  });

  it('REST and GraphQL: a kiosk may not recognize without logging (no silent identification); nothing changes', async () => {
    const fingerprint = await databaseFingerprint(t.db.prisma);
    const rest = await t.rest('POST', '/api/v1/recognition/recognize', {
      key: kiosk,
      body: { frame_data: photoBase64('probes/obama-press.jpg'), log_attendance: false },
    });
    expect(rest.status).toBe(403);
    const gql = await rawGql(t, 'mutation($f: String!) { recognize(frame: $f, logAttendance: false) { __typename } }', {
      key: kiosk,
      variables: { f: photoBase64('probes/obama-press.jpg') },
    });
    expect(gql.body.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    expect(await databaseFingerprint(t.db.prisma)).toEqual(fingerprint);
  });

  it('MAX_FACES_PER_FRAME bounds the faces analysed in one frame', async () => {
    const res = await t.rest<{ faces: unknown[] }>('POST', '/api/v1/recognition/recognize', {
      body: { frame_data: photoBase64('probes/rose-kit.jpg'), log_attendance: false },
    });
    expect(res.status).toBe(200);
    expect(res.body.faces).toHaveLength(1);
  });
});

describe('enrollment sessions belong to the key that started them (stored in the database)', () => {
  const start = async (key: string, code: string) => {
    const res = await t.rest<{ session_id: string }>('POST', '/api/v1/employees/register/start', {
      key,
      body: { employee_code: code, full_name: `Person ${code}` },
    });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    return res.body.session_id;
  };

  it('another kiosk can neither read nor drive it, while live or after it ended', async () => {
    const sessionId = await start(kiosk, 'K-OWN-1');
    expect((await t.rest('GET', `/api/v1/employees/register/${sessionId}`, { key: otherKiosk })).status).toBe(403);
    const fingerprint = await databaseFingerprint(t.db.prisma);
    const cancel = await t.rest('POST', '/api/v1/employees/register/cancel', { key: otherKiosk, body: { session_id: sessionId } });
    expect(cancel.status).toBe(403);
    expect(await databaseFingerprint(t.db.prisma)).toEqual(fingerprint);
    expect((await t.rest('POST', '/api/v1/employees/register/cancel', { key: kiosk, body: { session_id: sessionId } })).status).toBe(200);
    // Ended: no longer in memory, the stored owner still decides.
    const ended = await t.rest<{ detail: string }>('GET', `/api/v1/employees/register/${sessionId}`, { key: otherKiosk });
    expect(ended.status).toBe(403);
    expect(JSON.stringify(ended.body)).not.toContain('K-OWN-1');
    const own = await t.rest<{ status: string }>('GET', `/api/v1/employees/register/${sessionId}`, { key: kiosk });
    expect(own.body.status).toBe('cancelled');
    expect((await t.db.prisma.enrollmentSession.findUniqueOrThrow({ where: { id: sessionId } })).startedByKeyId).not.toBeNull();
  });
});

describe('kiosk enrollments wait for approval (ENROLLMENT_APPROVAL=true)', () => {
  it('not recognized until an operator approves; a kiosk cannot approve', async () => {
    const photo = 'people/biden/biden-2.jpg';
    const session = await t.rest<{ session_id: string }>('POST', '/api/v1/employees/register/start', {
      key: kiosk,
      body: { employee_code: 'K-BIDEN', full_name: 'Joe Biden' },
    });
    for (let n = 0; n < 3; n++) {
      const frame = await t.rest('POST', `/api/v1/employees/register/frame/${session.body.session_id}`, {
        key: kiosk,
        body: { frame_data: photoBase64(photo), frame_number: n },
      });
      expect(frame.status).toBe(200);
    }
    const done = await t.rest<{ employee_id: number }>('POST', '/api/v1/employees/register/complete', {
      key: kiosk,
      body: { session_id: session.body.session_id },
    });
    expect(done.status, JSON.stringify(done.body)).toBe(200);
    const id = done.body.employee_id;
    expect((await t.db.prisma.employee.findUniqueOrThrow({ where: { id } })).awaitingApproval).toBe(true);

    const probe = async () =>
      (await t.rest<{ faces: { employee_id: number | null }[] }>('POST', '/api/v1/recognition/recognize', {
        body: { frame_data: photoBase64('people/biden/biden-1.jpg'), log_attendance: false },
      })).body.faces[0]?.employee_id;
    expect(await probe()).toBeNull();

    const fingerprint = await databaseFingerprint(t.db.prisma);
    expect((await t.rest('POST', `/api/v1/employees/${id}/approve`, { key: kiosk })).status).toBe(403);
    expect((await t.rest('POST', '/api/v1/employees/999999/approve')).status).toBe(404);
    expect(await databaseFingerprint(t.db.prisma)).toEqual(fingerprint);

    const operator = await t.createKey('operator');
    const approved = await t.rest<{ awaiting_approval: boolean }>('POST', `/api/v1/employees/${id}/approve`, { key: operator });
    expect(approved.status).toBe(200);
    expect(approved.body.awaiting_approval).toBe(false);
    expect(await probe()).toBe(id);
    expect(await t.db.prisma.auditLog.count({ where: { action: 'enrollment.approve', entityId: String(id) } })).toBe(1);
  });

  it('a deactivated face still counts as taken: enrolling it under a new code is a DUPLICATE_IDENTITY, nothing stored', async () => {
    await t.app.services.employees.deactivate(null, obama.employee.id);
    const before = { employees: await t.db.prisma.employee.count(), templates: await t.db.prisma.faceTemplate.count() };
    const session = await t.rest<{ session_id: string }>('POST', '/api/v1/employees/register/start', {
      body: { employee_code: 'NEW-OBAMA', full_name: 'Someone New' },
    });
    for (let n = 0; n < 3; n++) {
      await t.rest('POST', `/api/v1/employees/register/frame/${session.body.session_id}`, {
        body: { frame_data: photoBase64('people/obama/obama-1.jpg'), frame_number: n },
      });
    }
    const done = await t.rest<{ detail: string }>('POST', '/api/v1/employees/register/complete', { body: { session_id: session.body.session_id } });
    expect(done.status).toBe(409);
    expect(done.body.detail).toMatch(new RegExp(`employee ${obama.employee.id}`));
    expect({ employees: await t.db.prisma.employee.count(), templates: await t.db.prisma.faceTemplate.count() }).toEqual(before);
  });
});
