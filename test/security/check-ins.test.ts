// Item 1 of the trust issue: every check-in counted once. Probes that lost
// check-ins before (event ids derived from x-request-id or the graphql-ws
// connection id): two people with the same x-request-id, two concurrent
// mutations on one socket, two aliased recognize fields in one document. Then
// Idempotency-Key retries (REST header, GraphQL argument): the same answer,
// nothing logged twice, scoped to the API key, never another person's log.
import { createClient } from 'graphql-ws';
import WebSocket from 'ws';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { TestApp } from '../helpers/test-app.js';
import { seedPeopleFromPhotos, type SeededPerson } from '../helpers/seed-faces.js';
import { databaseFingerprint, photoBase64, rawGql, startProductionApp } from './fixture.js';

interface FaceJson {
  employee_id: number | null;
  attendance?: { status: string; log_id: number | null; event_id: string | null };
}
type RecognizeJson = { faces: FaceJson[]; detail?: unknown };

let t: TestApp;
let obama: SeededPerson;
let biden: SeededPerson;
const OBAMA = 'probes/obama-portrait-1080p.jpg';
const BIDEN = 'people/biden/biden-2.jpg';

beforeAll(async () => {
  // No dedupe window: every recognition of the same person is a new check-in, so a lost one shows.
  t = await startProductionApp({ env: { WORKER_POOL_SIZE: '1', AUTO_RETRAIN: 'false', AUGMENTATION_COUNT: '1', ATTENDANCE_DEDUPE_MINUTES: '0' } });
  const seeded = await seedPeopleFromPhotos(t.app, ['obama', 'biden']);
  obama = seeded[0]!;
  biden = seeded[1]!;
}, 120_000);
afterAll(() => t?.stop());

const logsOf = (employeeId: number) => t.db.prisma.attendanceLog.count({ where: { employeeId } });
const recognize = (file: string, headers: Record<string, string> = {}, key?: string) =>
  t.rest<RecognizeJson>('POST', '/api/v1/recognition/recognize', { body: { frame_data: photoBase64(file) }, headers, ...(key ? { key } : {}) });

const RECOGNIZE_FIELDS = 'faces { employeeId attendance { status logId eventId } }';

describe('no lost check-ins', () => {
  let before: { obama: number; biden: number };
  beforeEach(async () => {
    before = { obama: await logsOf(obama.employee.id), biden: await logsOf(biden.employee.id) };
  });

  it('two people sent with the same x-request-id are both logged', async () => {
    const a = await recognize(OBAMA, { 'x-request-id': 'shared-id-1' });
    const b = await recognize(BIDEN, { 'x-request-id': 'shared-id-1' });
    expect(a.body.faces[0]).toMatchObject({ employee_id: obama.employee.id, attendance: { status: 'logged' } });
    expect(b.body.faces[0]).toMatchObject({ employee_id: biden.employee.id, attendance: { status: 'logged' } });
    expect(b.body.faces[0]!.attendance!.log_id).not.toBe(a.body.faces[0]!.attendance!.log_id);
    expect(await logsOf(obama.employee.id)).toBe(before.obama + 1);
    expect(await logsOf(biden.employee.id)).toBe(before.biden + 1);
  });

  it('one document with two aliased recognize fields logs both people', async () => {
    const res = await rawGql(t, `mutation($a: String!, $b: String!) {
      first: recognize(frame: $a) { ... on RecognitionResult { ${RECOGNIZE_FIELDS} } }
      second: recognize(frame: $b) { ... on RecognitionResult { ${RECOGNIZE_FIELDS} } }
    }`, { variables: { a: photoBase64(OBAMA), b: photoBase64(BIDEN) } });
    expect(res.body.errors).toBeUndefined();
    const data = res.body.data as Record<'first' | 'second', { faces: { employeeId: number; attendance: { status: string; logId: number } }[] }>;
    expect(data.first.faces[0]).toMatchObject({ employeeId: obama.employee.id, attendance: { status: 'logged' } });
    expect(data.second.faces[0]).toMatchObject({ employeeId: biden.employee.id, attendance: { status: 'logged' } });
    expect(await logsOf(obama.employee.id)).toBe(before.obama + 1);
    expect(await logsOf(biden.employee.id)).toBe(before.biden + 1);
  });

  it('two concurrent mutations on one graphql-ws socket log both people', async () => {
    const client = createClient({
      url: `${t.url.replace('http', 'ws')}/graphql`,
      webSocketImpl: WebSocket,
      connectionParams: { authorization: `Bearer ${t.adminKey}` },
      retryAttempts: 0,
    });
    try {
      type Result = { data?: { recognize: { faces: { employeeId: number; attendance: { status: string } }[] } } | null };
      const run = async (file: string): Promise<Result | undefined> => {
        const iterator = client.iterate<{ recognize: { faces: { employeeId: number; attendance: { status: string } }[] } }>({
          query: `mutation($f: String!) { recognize(frame: $f) { ... on RecognitionResult { ${RECOGNIZE_FIELDS} } } }`,
          variables: { f: photoBase64(file) },
        });
        const first = await iterator.next();
        await iterator.return?.();
        return first.done === true ? undefined : first.value;
      };
      const [a, b] = await Promise.all([run(OBAMA), run(BIDEN)]);
      expect(a?.data?.recognize.faces[0]).toMatchObject({ employeeId: obama.employee.id, attendance: { status: 'logged' } });
      expect(b?.data?.recognize.faces[0]).toMatchObject({ employeeId: biden.employee.id, attendance: { status: 'logged' } });
    } finally {
      await client.dispose();
    }
    expect(await logsOf(obama.employee.id)).toBe(before.obama + 1);
    expect(await logsOf(biden.employee.id)).toBe(before.biden + 1);
  });

  it('ten recognitions of two people in parallel are ten logs', async () => {
    const results = await Promise.all(Array.from({ length: 10 }, (_, i) => recognize(i % 2 === 0 ? OBAMA : BIDEN, { 'x-request-id': 'same' })));
    expect(results.map((r) => r.body.faces[0]?.attendance?.status)).toEqual(Array(10).fill('logged'));
    expect(new Set(results.map((r) => r.body.faces[0]!.attendance!.log_id)).size).toBe(10);
    expect(await logsOf(obama.employee.id)).toBe(before.obama + 5);
    expect(await logsOf(biden.employee.id)).toBe(before.biden + 5);
  });
});

describe('Idempotency-Key', () => {
  it('REST: a retry with the same key gets the same answer and logs nothing again', async () => {
    const first = await recognize(OBAMA, { 'idempotency-key': 'kiosk-7-frame-1' });
    const logs = await logsOf(obama.employee.id);
    const retry = await recognize(OBAMA, { 'idempotency-key': 'kiosk-7-frame-1' });
    expect(first.body.faces[0]?.attendance?.status).toBe('logged');
    expect(retry.status).toBe(200);
    expect(retry.headers.get('idempotent-replayed')).toBe('true');
    expect(retry.body.faces).toEqual(first.body.faces);
    expect(await logsOf(obama.employee.id)).toBe(logs);
  });

  it('REST: concurrent requests with one key run once', async () => {
    const before = await logsOf(biden.employee.id);
    const all = await Promise.all(Array.from({ length: 4 }, () => recognize(BIDEN, { 'idempotency-key': 'burst-1' })));
    expect(all.map((r) => r.status)).toEqual([200, 200, 200, 200]);
    expect(new Set(all.map((r) => r.body.faces[0]?.attendance?.log_id)).size).toBe(1);
    expect(await logsOf(biden.employee.id)).toBe(before + 1);
  });

  it('REST: the same key with another frame is refused (422) and changes nothing', async () => {
    await recognize(OBAMA, { 'idempotency-key': 'reused-key' });
    const fingerprint = await databaseFingerprint(t.db.prisma);
    const other = await recognize(BIDEN, { 'idempotency-key': 'reused-key' });
    expect(other.status).toBe(422);
    expect(JSON.stringify(other.body)).not.toContain(String(obama.employee.id));
    expect(await databaseFingerprint(t.db.prisma)).toEqual(fingerprint);
  });

  it('keys are scoped to the API key: another kiosk with the same key is recognized on its own', async () => {
    const kioskA = await t.createKey('kiosk');
    const kioskB = await t.createKey('kiosk');
    const a = await recognize(OBAMA, { 'idempotency-key': 'frame-0001' }, kioskA);
    const b = await recognize(BIDEN, { 'idempotency-key': 'frame-0001' }, kioskB);
    expect(a.body.faces[0]?.attendance?.status).toBe('logged');
    expect(b.status).toBe(200);
    expect(b.body.faces[0]?.attendance?.status).toBe('logged');
    expect(b.body.faces[0]?.attendance?.log_id).not.toBe(a.body.faces[0]?.attendance?.log_id);
  });

  it('GraphQL: the idempotencyKey argument replays the first answer', async () => {
    const doc = `mutation($f: String!, $k: String) { recognize(frame: $f, idempotencyKey: $k) { ... on RecognitionResult { ${RECOGNIZE_FIELDS} } } }`;
    const first = await rawGql(t, doc, { variables: { f: photoBase64(BIDEN), k: 'gql-key-1' } });
    const logs = await logsOf(biden.employee.id);
    const retry = await rawGql(t, doc, { variables: { f: photoBase64(BIDEN), k: 'gql-key-1' } });
    expect(retry.body.data).toEqual(first.body.data);
    expect(await logsOf(biden.employee.id)).toBe(logs);
    const fingerprint = await databaseFingerprint(t.db.prisma);
    const mismatch = await rawGql(t, doc, { variables: { f: photoBase64(OBAMA), k: 'gql-key-1' } });
    expect(mismatch.body.errors?.[0]?.extensions?.code).toBe('IDEMPOTENCY_KEY_REUSED');
    expect(await databaseFingerprint(t.db.prisma)).toEqual(fingerprint);
  });

  it.each([
    ['a key with a space', 'has space'],
    ['a key of 256 characters', 'k'.repeat(256)],
    ['a key with a control character', 'tab\tkey'],
  ])('REST: %s is 422 and changes nothing', async (_what, key) => {
    const fingerprint = await databaseFingerprint(t.db.prisma);
    const res = await recognize(OBAMA, { 'idempotency-key': key });
    expect(res.status).toBe(422);
    expect(await databaseFingerprint(t.db.prisma)).toEqual(fingerprint);
  });
});
