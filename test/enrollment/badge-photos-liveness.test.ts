// Badge photos against passive liveness (the default LIVENESS_MODE=passive), through the real
// server and engine: a face that fills the picture leaves fr_liveness.onnx too little of it to
// judge (liveness/crop-context.ts), so recognize names the person but never checks anyone in
// (attendance rejected 'liveness_unverified', liveness null, no presentation attack reported);
// the same photo with its surroundings is judged and logged; a printed photo cropped tight still
// checks nobody in, and with its surroundings it is refused as a spoof.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MIN_LIVENESS_CONTEXT } from '../../src/liveness/crop-context.js';
import { LIVENESS_SCALE } from '../../src/vision/liveness-crop.js';
import { analyzeWithPaddedRetry } from '../../src/vision/padded-analysis.js';
import { badgePhoto } from '../helpers/badge-photos.js';
import { readFacePhoto } from '../helpers/seed-faces.js';
import { startTestApp, type TestApp } from '../helpers/test-app.js';

interface FaceJson {
  employee_id: number | null;
  reason: string | null;
  liveness: { score: number; live: boolean } | null;
  attendance?: { status: string; reason: string | null; log_id: number | null };
}

let t: TestApp;
const ids = new Map<string, number>();
const b64 = (b: Uint8Array): string => Buffer.from(b).toString('base64');

async function enroll(code: string, photos: Uint8Array[]): Promise<void> {
  const created = await t.rest<{ id: number }>('POST', '/api/v1/employees', { body: { employee_code: code, full_name: code } });
  ids.set(code, created.body.id);
  // Still photos by an operator: photo enrollment does not judge liveness (templates marked 'photo').
  const res = await t.rest('POST', `/api/v1/employees/${created.body.id}/photos`, { body: { photos: photos.map(b64) } });
  expect(res.status, JSON.stringify(res.body)).toBe(200);
}

async function recognize(photo: Uint8Array): Promise<FaceJson[]> {
  const res = await t.rest<{ faces: FaceJson[] }>('POST', '/api/v1/recognition/recognize', { body: { frame_data: b64(photo) } });
  expect(res.status).toBe(200);
  return res.body.faces;
}

const logsOf = (code: string): Promise<number> => t.app.deps.prisma.attendanceLog.count({ where: { employeeId: ids.get(code)! } });
const attacks = (): Promise<number> => t.app.deps.prisma.auditLog.count({ where: { action: 'liveness.presentation_attack' } });

beforeAll(async () => {
  t = await startTestApp({ env: { WORKER_POOL_SIZE: '1', AUTO_RETRAIN: 'false', AUGMENTATION_COUNT: '2' } });
  const engine = t.app.deps.faceEngine!;
  // Obama from grey badge photos (issue 11); the woman on the poster from the attack image itself.
  await enroll('obama', await Promise.all(['people/obama/obama-1.jpg', 'people/obama/obama-2.jpg'].map((p) => badgePhoto(engine, p, { size: [92, 112], grey: true }))));
  await enroll('print', [readFacePhoto('antispoof/spoof-print.jpg')]);
}, 120_000);
afterAll(() => t?.stop());

describe('passive liveness and faces that fill the picture', () => {
  it('the engine reports how much of the liveness crop the picture held', async () => {
    const engine = t.app.deps.faceEngine!;
    const analyze = (img: Uint8Array, o: object) => engine.analyze(img, o);
    const full = await engine.analyze(readFacePhoto('probes/obama-portrait-1080p.jpg'), { embed: false, liveness: true });
    expect(full.faces[0]!.livenessContext).toBeCloseTo(LIVENESS_SCALE, 1);
    const badge = await engine.analyze(await badgePhoto(engine, 'probes/obama-portrait-1080p.jpg'), { embed: false, liveness: true });
    expect(badge.faces[0]!.livenessContext).toBeLessThan(MIN_LIVENESS_CONTEXT);
    // The padded second look scores a crop of repeated border pixels: no context at all.
    let padded = 0;
    for (const photo of ['people/obama/obama-1.jpg', 'people/biden/biden-1.jpg', 'people/alex_lacamoire/alex-1.jpg']) {
      const tight = await badgePhoto(engine, photo, { tightness: 0.6, size: [92, 112] });
      const result = await analyzeWithPaddedRetry(analyze, tight, { embed: false, liveness: true });
      const context = result.faces[0]!.livenessContext;
      expect(context, photo).toBeLessThan(MIN_LIVENESS_CONTEXT);
      if (result.padded) {
        expect(context, photo).toBe(0);
        padded++;
      }
    }
    expect(padded).toBeGreaterThan(0);
  }, 60_000);

  it('a badge photo is named but checks nobody in; the same photo with its surroundings is logged', async () => {
    const engine = t.app.deps.faceEngine!;
    const before = await attacks();
    for (const options of [{}, { size: [92, 112] as const, grey: true }]) {
      const faces = await recognize(await badgePhoto(engine, 'probes/obama-portrait-1080p.jpg', options));
      expect(faces, JSON.stringify(options)).toMatchObject([
        { employee_id: ids.get('obama'), reason: null, liveness: null, attendance: { status: 'rejected', reason: 'liveness_unverified', log_id: null } },
      ]);
    }
    expect(await logsOf('obama')).toBe(0);
    // Not an attack either: nothing was judged.
    expect(await attacks()).toBe(before);
    const faces = await recognize(readFacePhoto('probes/obama-portrait-1080p.jpg'));
    expect(faces).toMatchObject([{ employee_id: ids.get('obama'), reason: null, liveness: { live: true }, attendance: { status: 'logged' } }]);
    expect(await logsOf('obama')).toBe(1);
  }, 60_000);

  it('a printed photo never checks anyone in: cropped tight it is unverified, with its surroundings a spoof', async () => {
    const engine = t.app.deps.faceEngine!;
    const tight = await recognize(await badgePhoto(engine, 'antispoof/spoof-print.jpg'));
    expect(tight).toHaveLength(1);
    expect(tight[0]!.liveness).toBeNull();
    expect(tight[0]!.attendance?.status ?? 'not logged').not.toBe('logged');
    const whole = await recognize(readFacePhoto('antispoof/spoof-print.jpg'));
    expect(whole).toMatchObject([{ employee_id: null, reason: 'spoof', liveness: { live: false } }]);
    expect(await logsOf('print')).toBe(0);
  }, 60_000);
});
