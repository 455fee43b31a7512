// recognize() beyond the happy path, through HTTP with the real engine:
// a stranger is unknown, one employee = cosine only, bad frames give clear
// errors, attendance is logged once per request, deactivated people stop
// being recognized at once, training never blocks the event loop.
import { monitorEventLoopDelay } from 'node:perf_hooks';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../helpers/test-app.js';
import { readFacePhoto, seedPeopleFromPhotos, type SeededPerson } from '../helpers/seed-faces.js';

interface FaceJson {
  employee_id: number | null;
  employee_name: string | null;
  recognition_method: string | null;
  reason: string | null;
  confidence_score: number;
  attendance?: { status: string; log_id: number | null };
}
type RecognizeJson = { faces: FaceJson[]; reason?: string };

let t: TestApp;
const b64 = (file: string): string => Buffer.from(readFacePhoto(file)).toString('base64');
const post = (body: unknown, key?: string) =>
  t.rest<RecognizeJson & { detail?: unknown }>('POST', '/api/v1/recognition/recognize', { body, ...(key ? { key } : {}) });

beforeAll(async () => {
  t = await startTestApp({ env: { WORKER_POOL_SIZE: '1', AUTO_RETRAIN: 'false', AUGMENTATION_COUNT: '3' } });
}, 60_000);
afterAll(() => t?.stop());

describe('one employee: cosine only', () => {
  let obama: SeededPerson;
  beforeAll(async () => {
    obama = (await seedPeopleFromPhotos(t.app, ['obama']))[0]!;
  }, 60_000);

  it('training is skipped (not an error) and recognition runs on cosine', async () => {
    const train = await t.rest<Record<string, unknown>>('POST', '/api/v1/system/train-model', { body: { force_retrain: true } });
    expect(train.status).toBe(200);
    expect(train.body).toMatchObject({ status: 'skipped', reason: 'fewer_than_two_employees', recognition_method: 'cosine' });
    const res = await post({ frame_data: b64('probes/obama-press.jpg'), log_attendance: false });
    expect(res.body.faces).toHaveLength(1);
    expect(res.body.faces[0]).toMatchObject({ employee_id: obama.employee.id, recognition_method: 'cosine', reason: null });
  });

  it('a stranger is unknown with employee fields null', async () => {
    const res = await post({ frame_data: b64('people/biden/biden-1.jpg'), log_attendance: false });
    expect(res.body.faces).toHaveLength(1);
    expect(res.body.faces[0]).toMatchObject({ employee_id: null, employee_name: null, recognition_method: null, reason: 'below_threshold' });
  });
});

describe('four enrolled, the fifth unknown; SVM path', () => {
  beforeAll(async () => {
    await seedPeopleFromPhotos(t.app, ['biden', 'kit_harington', 'rose_leslie']);
  }, 90_000);

  it('training runs in a worker: the event loop stays responsive', async () => {
    const delay = monitorEventLoopDelay({ resolution: 10 });
    delay.enable();
    const progress: string[] = [];
    const sub = t.app.deps.pubsub.subscribe('trainingProgress')[Symbol.asyncIterator]();
    const collecting = (async () => {
      for (;;) {
        const next = await sub.next();
        if (next.done) {
          return;
        }
        progress.push(`${next.value.status}:${next.value.phase ?? ''}`);
        if (next.value.status === 'finished' || next.value.status === 'failed') {
          return;
        }
      }
    })();
    const [outcome, joined] = await Promise.all([
      t.app.services.training.train({ force: true }),
      t.app.services.training.train({ force: true }),
    ]);
    delay.disable();
    await collecting;
    await sub.return?.();
    expect(outcome.kind).toBe('trained');
    expect(joined).toBe(outcome);
    expect(progress[0]).toBe('started:');
    expect(progress).toContain('running:grid');
    expect(progress.at(-1)).toBe('finished:');
    // Anything the training did on the main thread would show up here.
    expect(delay.max / 1e6).toBeLessThan(200);
    expect(t.app.services.recognitionModels.status().method).toBe('svm');
  }, 60_000);

  it('the enrolled are recognized by the SVM; alex (not enrolled) is unknown', async () => {
    const kit = await post({ frame_data: b64('probes/kit-snow.jpg'), log_attendance: false });
    expect(kit.body.faces[0]).toMatchObject({ employee_name: 'Kit Harington', recognition_method: 'svm' });
    for (const file of ['probes/alex-2.jpg', 'people/alex_lacamoire/alex-1.jpg']) {
      const res = await post({ frame_data: b64(file), log_attendance: false });
      expect(res.body.faces, file).toHaveLength(1);
      expect(res.body.faces[0]!.employee_id, file).toBeNull();
      expect(['below_threshold', 'ambiguous', 'low_quality']).toContain(res.body.faces[0]!.reason);
    }
  });

  it('logs attendance once; the same request again is a duplicate; log_attendance false logs nothing', async () => {
    const frame = b64('probes/obama-portrait-1080p.jpg');
    const first = await post({ frame_data: frame });
    expect(first.body.faces[0]?.attendance).toMatchObject({ status: 'logged' });
    const second = await post({ frame_data: frame });
    expect(second.body.faces[0]?.attendance).toMatchObject({ status: 'duplicate', log_id: first.body.faces[0]!.attendance!.log_id });
    // A retried request (same Idempotency-Key) gets the first answer back and logs nothing again;
    // the same x-request-id is no key (two frames may share it).
    const retry = await t.rest<RecognizeJson>('POST', '/api/v1/recognition/recognize', {
      body: { frame_data: b64('probes/rose-kit.jpg') },
      headers: { 'idempotency-key': 'kiosk-retry-1' },
    });
    const retried = await t.rest<RecognizeJson>('POST', '/api/v1/recognition/recognize', {
      body: { frame_data: b64('probes/rose-kit.jpg') },
      headers: { 'idempotency-key': 'kiosk-retry-1' },
    });
    expect(retry.body.faces.map((f) => f.attendance?.status)).toEqual(['logged', 'logged']);
    expect(retried.body.faces).toEqual(retry.body.faces);
    const before = await t.app.deps.prisma.attendanceLog.count();
    const quiet = await post({ frame_data: b64('probes/obama-small.jpg'), log_attendance: false });
    expect(quiet.body.faces[0]?.employee_name).toBe('Obama');
    expect(quiet.body.faces[0]?.attendance).toBeUndefined();
    expect(await t.app.deps.prisma.attendanceLog.count()).toBe(before);
    expect(before).toBe(3);
  });

  it('a kiosk key may recognize (multipart upload too); a viewer may not', async () => {
    const kiosk = await t.createKey('kiosk');
    const form = new FormData();
    form.append('file', new Blob([Buffer.from(readFacePhoto('people/biden/biden-2.jpg'))], { type: 'image/jpeg' }), 'frame.jpg');
    const res = await fetch(`${t.url}/api/v1/recognition/recognize`, { method: 'POST', body: form, headers: { authorization: `Bearer ${kiosk}` } });
    const body = (await res.json()) as RecognizeJson;
    expect(res.status, JSON.stringify(body)).toBe(200);
    expect(body.faces[0]).toMatchObject({ employee_name: 'Biden' });
    const viewer = await t.createKey('viewer');
    expect((await post({ frame_data: b64('people/biden/biden-2.jpg') }, viewer)).status).toBe(403);
  });

  it('a deactivated employee is unknown at once, and the stale SVM gives way to cosine', async () => {
    const rose = await t.app.deps.prisma.employee.findFirstOrThrow({ where: { employeeCode: 'FACE-rose_leslie' } });
    await t.app.services.employees.deactivate(null, rose.id);
    const res = await post({ frame_data: b64('people/rose_leslie/rose-2.jpg'), log_attendance: false });
    expect(res.body.faces[0]?.employee_id).toBeNull();
    await new Promise((r) => setTimeout(r, 100));
    const status = t.app.services.recognitionModels.status();
    expect(status.employeeCount).toBe(3);
    expect(status.method).toBe('cosine');
    const kit = await post({ frame_data: b64('probes/kit-snow.jpg'), log_attendance: false });
    expect(kit.body.faces[0]).toMatchObject({ employee_name: 'Kit Harington', recognition_method: 'cosine' });
  });
});

describe('bad frames', () => {
  it('no face: 200 with an empty list and reason no_face', async () => {
    const grey = await sharp({ create: { width: 640, height: 480, channels: 3, background: { r: 90, g: 90, b: 90 } } }).jpeg().toBuffer();
    const res = await post({ frame_data: grey.toString('base64') });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ faces: [], reason: 'no_face' });
  });

  it('bad base64 is 422, bytes that are no image 400, a missing field 422', async () => {
    const badB64 = await post({ frame_data: '!!not base64!!' });
    expect(badB64.status).toBe(422);
    // FastAPI's shape: the location names the body field once.
    expect(badB64.body.detail).toEqual([expect.objectContaining({ loc: ['body', 'frame_data'], type: 'value_error' })]);
    const notImage = await post({ frame_data: Buffer.from('hello, this is text and not a JPEG').toString('base64') });
    expect(notImage.status).toBe(400);
    expect(String(notImage.body.detail)).toMatch(/image/i);
    expect((await post({})).status).toBe(422);
  });

  it('an image over MAX_IMAGE_PIXELS (decompression bomb header) is 413', async () => {
    const png = await sharp({ create: { width: 8, height: 8, channels: 3, background: { r: 1, g: 2, b: 3 } } }).png().toBuffer();
    // IHDR width and height (bytes 16..23) claim 20000 x 20000.
    png.writeUInt32BE(20_000, 16);
    png.writeUInt32BE(20_000, 20);
    const res = await post({ frame_data: png.toString('base64') });
    expect(res.status).toBe(413);
    expect(String(res.body.detail)).toMatch(/pixels|large/i);
  });

  it('GraphQL: an invalid image is a typed InvalidImageError', async () => {
    const { RecognizeDocument } = await import('../graphql/generated.js');
    const res = await t.gql(RecognizeDocument, { frame: Buffer.from('not an image at all').toString('base64') });
    expect(res.data?.recognize).toMatchObject({ __typename: 'InvalidImageError', code: 'INVALID_IMAGE' });
  });
});
