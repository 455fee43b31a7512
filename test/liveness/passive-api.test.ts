// Passive liveness through the real HTTP server, real engine and database:
// the antispoof samples' attacks (a print, a tablet) of ENROLLED people are
// refused with reason spoof, never logged, and raise presentationAttack
// (graphql-ws, operators) with an audit row naming whom they resembled; live
// photos pass (the tablet replays the woman of live-1.jpg: her live photo is
// recognized and logged, her replay is not); a camera enrollment refuses the
// print; LIVENESS_MODE=off turns it all off.
import { print, type FormattedExecutionResult } from 'graphql';
import { createClient } from 'graphql-ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { PresentationAttackDocument, RecognizeWithLivenessDocument, type PresentationAttackSubscription } from '../graphql/generated.js';
import { readFacePhoto, seedPeopleFromPhotos } from '../helpers/seed-faces.js';
import { startTestApp, type TestApp } from '../helpers/test-app.js';

interface FaceJson {
  employee_id: number | null;
  reason: string | null;
  liveness: { score: number; live: boolean } | null;
  attendance?: { status: string };
}
type Attack = PresentationAttackSubscription['presentationAttack'];

const b64 = (file: string): string => Buffer.from(readFacePhoto(file)).toString('base64');

let t: TestApp;
const enrolled = new Map<string, number>();

async function enrollFromPhoto(code: string, file: string): Promise<number> {
  const created = await t.rest<{ id: number }>('POST', '/api/v1/employees', { body: { employee_code: code, full_name: `Person ${code}` } });
  expect(created.status).toBe(201);
  // Still photos by an operator: no liveness check on this path (templates marked source 'photo').
  const res = await t.rest('POST', `/api/v1/employees/${created.body.id}/photos`, { body: { photos: [b64(file)] } });
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return created.body.id;
}

const recognize = (file: string, key?: string) =>
  t.rest<{ faces: FaceJson[] }>('POST', '/api/v1/recognition/recognize', { body: { frame_data: b64(file) }, ...(key ? { key } : {}) });

beforeAll(async () => {
  t = await startTestApp({ env: { WORKER_POOL_SIZE: '1', AUTO_RETRAIN: 'false', AUGMENTATION_COUNT: '2' } });
  // The woman on the poster, enrolled from the attack image itself (the strongest match an attacker
  // can get); the woman the tablet replays, enrolled from her live photo; and a press photo person.
  enrolled.set('print', await enrollFromPhoto('SP-PRINT', 'antispoof/spoof-print.jpg'));
  enrolled.set('tablet', await enrollFromPhoto('SP-TABLET', 'antispoof/live-1.jpg'));
  await seedPeopleFromPhotos(t.app, ['obama']);
}, 120_000);
afterAll(() => t?.stop());

describe('recognize with passive liveness (default LIVENESS_MODE=passive)', () => {
  it('refuses the print and the tablet of enrolled people as spoof, logs nothing, and reports each attack', async () => {
    const operatorKey = await t.createKey('operator');
    const client = createClient({
      url: `${t.url.replace('http', 'ws')}/graphql`,
      webSocketImpl: WebSocket,
      connectionParams: { authorization: `Bearer ${operatorKey}` },
      retryAttempts: 0,
    });
    const attacks: Attack[] = [];
    try {
      const sub = client.iterate<PresentationAttackSubscription>({ query: print(PresentationAttackDocument), variables: {} });
      const collecting = (async () => {
        for await (const msg of sub) {
          if (msg.data) {
            attacks.push(msg.data.presentationAttack);
          }
          if (attacks.length >= 2) {
            return;
          }
        }
      })();
      // The subscription has no "ready" message: send until the first event arrives (bounded).
      for (let i = 0; i < 20 && attacks.length === 0; i++) {
        const res = await recognize('antispoof/spoof-print.jpg');
        expect(res.status).toBe(200);
        expect(res.body.faces).toHaveLength(1);
        expect(res.body.faces[0]).toMatchObject({ employee_id: null, reason: 'spoof', liveness: { live: false } });
        expect(res.body.faces[0]!.attendance).toBeUndefined();
        await new Promise((r) => setTimeout(r, 100));
      }
      const tablet = await recognize('antispoof/spoof-tablet.jpg');
      expect(tablet.body.faces[0]).toMatchObject({ employee_id: null, reason: 'spoof', liveness: { live: false } });
      await Promise.race([collecting, new Promise((r) => setTimeout(r, 5000))]);
    } finally {
      await client.dispose();
    }
    const byCode = (code: string) => attacks.find((a) => a.resembled?.employeeCode === code);
    expect(byCode('SP-PRINT')).toMatchObject({ source: 'recognize', reason: 'spoof', resembled: { wouldRecognize: true, employeeId: enrolled.get('print') } });
    expect(byCode('SP-TABLET')).toMatchObject({ source: 'recognize', reason: 'spoof', resembled: { wouldRecognize: true, employeeId: enrolled.get('tablet') } });
    expect(byCode('SP-PRINT')!.livenessScore).toBeLessThan(0.05);

    // Never logged (checked before her live photo is); every attack has its audit row naming the person.
    expect(await t.app.deps.prisma.attendanceLog.count({ where: { employeeId: { in: [...enrolled.values()] } } })).toBe(0);
    const audits = await t.app.deps.prisma.auditLog.findMany({ where: { action: 'liveness.presentation_attack' } });
    expect(audits.filter((a) => a.entityType === 'employee' && a.entityId === String(enrolled.get('print'))).length).toBeGreaterThanOrEqual(1);
    expect(audits.some((a) => a.entityId === String(enrolled.get('tablet')))).toBe(true);
    expect(audits.every((a) => a.actor.startsWith('api-key:'))).toBe(true);
  });

  it('passes live photos: the replayed woman herself and a press photo are recognized and logged', async () => {
    const herself = await recognize('antispoof/live-1.jpg');
    expect(herself.body.faces[0]).toMatchObject({ employee_id: enrolled.get('tablet'), reason: null, liveness: { live: true }, attendance: { status: 'logged' } });
    const obama = await recognize('probes/obama-press.jpg');
    expect(obama.body.faces[0]).toMatchObject({ reason: null, liveness: { live: true }, attendance: { status: 'logged' } });
    expect(obama.body.faces[0]!.liveness!.score).toBeGreaterThan(0.5);
  });

  it('gives GraphQL the same liveness and reason', async () => {
    const res = await t.gql(RecognizeWithLivenessDocument, { frame: b64('antispoof/spoof-tablet.jpg'), logAttendance: true });
    const r = res.data?.recognize;
    expect(r?.__typename).toBe('RecognitionResult');
    if (r?.__typename === 'RecognitionResult') {
      expect(r.faces[0]).toMatchObject({ employeeId: null, reason: 'spoof', liveness: { live: false }, attendance: null });
    }
  });

  it('lets only operators and admins watch attacks', async () => {
    const viewer = createClient({
      url: `${t.url.replace('http', 'ws')}/graphql`,
      webSocketImpl: WebSocket,
      connectionParams: { authorization: `Bearer ${await t.createKey('kiosk')}` },
      retryAttempts: 0,
    });
    try {
      const refused = (await viewer.iterate<PresentationAttackSubscription>({ query: print(PresentationAttackDocument), variables: {} }).next()) as IteratorResult<
        FormattedExecutionResult<PresentationAttackSubscription>
      >;
      expect((refused.value as FormattedExecutionResult | undefined)?.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    } finally {
      await viewer.dispose();
    }
  });

  it('refuses the print as a camera enrollment frame, with a clear instruction', async () => {
    const start = await t.rest<{ session_id: string }>('POST', '/api/v1/employees/register/start', {
      body: { employee_code: 'NEW-1', full_name: 'New Hire' },
    });
    expect(start.status).toBe(200);
    const frame = (file: string, n: number) =>
      t.rest<{ status: string; rejection: string | null; instruction: string }>('POST', `/api/v1/employees/register/frame/${start.body.session_id}`, {
        body: { frame_data: b64(file), frame_number: n },
      });
    const spoof = await frame('antispoof/spoof-print.jpg', 0);
    expect(spoof.body).toMatchObject({ status: 'rejected', rejection: 'not_live' });
    expect(spoof.body.instruction).toMatch(/photo or a screen/);
    const live = await frame('antispoof/live-1.jpg', 1);
    expect(live.body.rejection).not.toBe('not_live');
  });
});

describe('LIVENESS_MODE=off', () => {
  let off: TestApp;
  beforeAll(async () => {
    off = await startTestApp({ env: { WORKER_POOL_SIZE: '1', AUTO_RETRAIN: 'false', AUGMENTATION_COUNT: '0', LIVENESS_MODE: 'off' } });
  }, 60_000);
  afterAll(() => off?.stop());

  it('recognizes a print of an enrolled person again (the passive check is what refuses it)', async () => {
    const created = await off.rest<{ id: number }>('POST', '/api/v1/employees', { body: { employee_code: 'P', full_name: 'Print' } });
    await off.rest('POST', `/api/v1/employees/${created.body.id}/photos`, { body: { photos: [b64('antispoof/spoof-print.jpg')] } });
    const res = await off.rest<{ faces: FaceJson[] }>('POST', '/api/v1/recognition/recognize', {
      body: { frame_data: b64('antispoof/spoof-print.jpg'), log_attendance: false },
    });
    expect(res.body.faces[0]).toMatchObject({ employee_id: created.body.id, liveness: null, reason: null });
  });
});
