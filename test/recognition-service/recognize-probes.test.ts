// End to end through HTTP: the five people of ../shared/faces seeded from
// their photos, SVM trained over REST, every probe photo recognized (two-person
// probes left to right); GraphQL recognize gives the same answer.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RecognizeDocument } from '../graphql/generated.js';
import { startTestApp, type TestApp } from '../helpers/test-app.js';
import { faceLabels, readFacePhoto, seedPeopleFromPhotos, type SeededPerson } from '../helpers/seed-faces.js';

interface FaceJson {
  bbox: number[];
  employee_id: number | null;
  employee_code: string | null;
  employee_name: string | null;
  confidence_score: number;
  recognition_method: 'svm' | 'cosine' | null;
  reason: string | null;
}

let t: TestApp;
let people: SeededPerson[];
const b64 = (file: string): string => Buffer.from(readFacePhoto(file)).toString('base64');

beforeAll(async () => {
  t = await startTestApp({ env: { WORKER_POOL_SIZE: '2', AUTO_RETRAIN: 'false' } });
  people = await seedPeopleFromPhotos(t.app);
}, 120_000);
afterAll(() => t?.stop());

const nameOf = (id: number | null): string | undefined => people.find((p) => p.employee.id === id)?.name;

async function recognize(file: string): Promise<FaceJson[]> {
  const res = await t.rest<{ faces: FaceJson[] }>('POST', '/api/v1/recognition/recognize', {
    body: { frame_data: b64(file), log_attendance: false },
  });
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return res.body.faces;
}

/** Recognized people, left to right by box. */
const recognizedLeftToRight = (faces: FaceJson[]): (string | undefined)[] =>
  faces
    .filter((f) => f.employee_id !== null)
    .sort((a, b) => a.bbox[0]! - b.bbox[0]!)
    .map((f) => nameOf(f.employee_id));

const probes = faceLabels().filter((l) => l.file.startsWith('probes/'));

describe('recognition of the probe photos', () => {
  it('before training: cosine recognizes every probe', async () => {
    for (const probe of probes) {
      const faces = await recognize(probe.file);
      expect(recognizedLeftToRight(faces), probe.file).toEqual(probe.people);
      for (const f of faces.filter((x) => x.employee_id !== null)) {
        expect(f.recognition_method).toBe('cosine');
      }
    }
  }, 60_000);

  it('trains over REST and then recognizes every probe, clear faces by the SVM', async () => {
    const train = await t.rest<Record<string, unknown>>('POST', '/api/v1/system/train-model', { body: { force_retrain: true } });
    expect(train.status, JSON.stringify(train.body)).toBe(200);
    expect(train.body).toMatchObject({ status: 'success', employee_count: 5, recognition_method: 'svm' });
    expect((train.body.metrics as { cv_accuracy: number }).cv_accuracy).toBeGreaterThan(0.9);

    const methods: string[] = [];
    for (const probe of probes) {
      const faces = await recognize(probe.file);
      expect(recognizedLeftToRight(faces), probe.file).toEqual(probe.people);
      for (const f of faces.filter((x) => x.employee_id !== null)) {
        expect(f.employee_code).toBe(`FACE-${nameOf(f.employee_id)}`);
        expect(f.confidence_score).toBeGreaterThan(0.5);
        expect(f.reason).toBeNull();
        methods.push(f.recognition_method!);
      }
    }
    // Clear faces go through the SVM; only degraded ones may fall back to cosine.
    expect(methods.filter((m) => m === 'svm').length).toBeGreaterThanOrEqual(methods.length - 3);
  }, 90_000);

  it('an unchanged gallery is not retrained unless forced', async () => {
    const again = await t.rest<Record<string, unknown>>('POST', '/api/v1/system/train-model', { body: {} });
    expect(again.body).toMatchObject({ status: 'skipped', reason: 'unchanged' });
  });

  it('GraphQL recognize answers the same, with typed fields', async () => {
    const res = await t.gql(RecognizeDocument, { frame: b64('probes/rose-kit.jpg'), logAttendance: false });
    expect(res.data?.recognize.__typename).toBe('RecognitionResult');
    if (res.data?.recognize.__typename !== 'RecognitionResult') {
      return;
    }
    const faces = [...res.data.recognize.faces].sort((a, b) => a.bbox[0]! - b.bbox[0]!);
    expect(faces.map((f) => f.employeeName)).toEqual(['Rose Leslie', 'Kit Harington']);
    expect(faces.every((f) => f.recognitionMethod === 'svm')).toBe(true);
  });
});
