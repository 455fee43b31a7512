// ID-badge photos through the real server and engine: tight crops, 92x112 shrunk and grey
// versions of the shared photos (made at test time by test/helpers/badge-photos.ts, never stored)
// enroll from one photo each and are recognized; strangers stay unknown; a photo whose features
// are really missing, or whose face is too small, is refused with a clear reason.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { analyzeWithPaddedRetry } from '../../src/vision/padded-analysis.js';
import { badgePhoto } from '../helpers/badge-photos.js';
import { photosOf } from '../helpers/seed-faces.js';
import { startTestApp, type TestApp } from '../helpers/test-app.js';

interface Rejected {
  detail: string;
}

let t: TestApp;
/** Enrolled from every gallery photo of theirs, as grey 92x112 badges; Rose Leslie stays a stranger. */
const STAFF = ['obama', 'biden', 'kit_harington', 'alex_lacamoire'] as const;
const ids = new Map<string, number>();
const SMALL = [92, 112] as const;

beforeAll(async () => {
  // Liveness off: these are still photos recognized as such (with passive liveness on, a still is
  // a presentation attack by design, and a tight crop leaves the liveness model no context).
  t = await startTestApp({ env: { WORKER_POOL_SIZE: '2', AUTO_RETRAIN: 'false', AUGMENTATION_COUNT: '2', LIVENESS_MODE: 'off' } });
}, 60_000);
afterAll(() => t?.stop());

const b64 = (b: Buffer): string => b.toString('base64');

async function enroll(code: string, photos: Buffer[]): Promise<{ status: number; body: Rejected & { success?: boolean } }> {
  const created = await t.rest<{ id: number }>('POST', '/api/v1/employees', { body: { employee_code: code, full_name: code } });
  ids.set(code, created.body.id);
  return t.rest('POST', `/api/v1/employees/${created.body.id}/photos`, { body: { photos: photos.map(b64) } });
}

async function recognize(photo: Buffer): Promise<{ employee_id: number | null; reason: string | null }[]> {
  const res = await t.rest<{ faces: { employee_id: number | null; reason: string | null }[] }>('POST', '/api/v1/recognition/recognize', {
    body: { frame_data: b64(photo), log_attendance: false },
  });
  expect(res.status).toBe(200);
  return res.body.faces;
}

describe('ID-badge photos', () => {
  it('enroll from grey 92x112 badge photos (every one accepted)', async () => {
    const engine = t.app.deps.faceEngine!;
    for (const name of STAFF) {
      const badges = await Promise.all(photosOf(name).map((p) => badgePhoto(engine, p, { size: SMALL, grey: true })));
      const res = await enroll(name, badges);
      expect(res.status, `${name}: ${JSON.stringify(res.body)}`).toBe(200);
      expect(res.body.success).toBe(true);
    }
  }, 60_000);

  it('recognize tight, shrunk and grey badge versions of other photos; strangers stay unknown', async () => {
    const engine = t.app.deps.faceEngine!;
    const probes: [string, string][] = [
      ['obama', 'probes/obama-press.jpg'],
      ['obama', 'probes/obama-portrait-1080p.jpg'],
      ['kit_harington', 'probes/kit-snow.jpg'],
      ['alex_lacamoire', 'probes/alex-2.jpg'],
    ];
    for (const [name, photo] of probes) {
      for (const options of [{}, { size: SMALL }, { size: SMALL, grey: true }]) {
        const faces = await recognize(await badgePhoto(engine, photo, options));
        expect(faces, `${photo} ${JSON.stringify(options)}`).toMatchObject([{ employee_id: ids.get(name) }]);
      }
    }
    for (const photo of photosOf('rose_leslie')) {
      for (const options of [{}, { size: SMALL, grey: true }]) {
        const faces = await recognize(await badgePhoto(engine, photo, options));
        expect(faces.every((f) => f.employee_id === null), `${photo} ${JSON.stringify(options)}`).toBe(true);
      }
    }
  }, 120_000);

  it('a crop tighter than the detector copes with is found on a padded copy', async () => {
    const engine = t.app.deps.faceEngine!;
    const analyze = (img: Uint8Array, o: object) => engine.analyze(img, o);
    let retried = 0;
    for (const photo of ['people/obama/obama-1.jpg', 'people/biden/biden-1.jpg', 'people/alex_lacamoire/alex-1.jpg']) {
      // Narrower than the eyes' span plus a little: chin and forehead outside the picture.
      const tight = await badgePhoto(engine, photo, { tightness: 0.6, size: SMALL });
      const result = await analyzeWithPaddedRetry(analyze, tight, { embed: true });
      expect(result.faces, photo).toHaveLength(1);
      expect(result.width).toBe(92);
      // Mapped back into the badge: every landmark inside the 92x112 picture.
      expect(result.faces[0]!.landmarks.every(([x, y]) => x >= 0 && y >= 0 && x <= 92 && y <= 112)).toBe(true);
      expect(result.faces[0]!.quality.issues).not.toContain('cut_off');
      retried += result.padded ? 1 : 0;
    }
    // At least one of them needed the second look (the detector misses faces this tight).
    expect(retried).toBeGreaterThan(0);
  }, 60_000);

  it('refusals keep clear reasons: features cut off, face too small', async () => {
    const engine = t.app.deps.faceEngine!;
    const halfFace = await badgePhoto(engine, 'people/kit_harington/kit-2.jpg', { keepTop: 0.45 });
    const tiny = await badgePhoto(engine, 'people/rose_leslie/rose-2.jpg', { size: [40, 49] });
    const res = await enroll('refused', [halfFace, tiny]);
    expect(res.status, JSON.stringify(res.body)).toBe(422);
    expect(res.body.detail).toMatch(/Photo 1: (no face found|the face is cut off at the edge)/);
    expect(res.body.detail).toMatch(/Photo 2: (no face found|.*the face is too small)/);
  }, 60_000);
});
