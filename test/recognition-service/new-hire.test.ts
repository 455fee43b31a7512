// A new hire with the shortlist classifier, through the real services and engine: trained on
// three people, a fourth is enrolled afterwards. They are named at once (cosine: the classifier
// stays silent about people it has not seen), get their own machine from one small fit in the
// training worker (no retrain), and are then decided by the classifier like everyone else.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../helpers/test-app.js';
import { readFacePhoto, seedPeopleFromPhotos, type SeededPerson } from '../helpers/seed-faces.js';

interface FaceJson {
  employee_id: number | null;
  recognition_method: 'svm' | 'cosine' | null;
}

let t: TestApp;
let staff: SeededPerson[];
beforeAll(async () => {
  t = await startTestApp({ env: { WORKER_POOL_SIZE: '1', AUGMENTATION_COUNT: '2', AUTO_RETRAIN: 'false', SVM_STRATEGY: 'shortlist' } });
  staff = await seedPeopleFromPhotos(t.app, ['biden', 'kit_harington', 'obama']);
}, 90_000);
afterAll(() => t?.stop());

async function recognize(file: string): Promise<FaceJson[]> {
  const res = await t.rest<{ faces: FaceJson[] }>('POST', '/api/v1/recognition/recognize', {
    body: { frame_data: Buffer.from(readFacePhoto(file)).toString('base64'), log_attendance: false },
  });
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return res.body.faces;
}

describe('a new hire with the shortlist classifier', () => {
  it('is named at once by cosine, then by their own machine, with no retrain', async () => {
    const trained = await t.app.services.training.train({ force: true });
    expect(trained).toMatchObject({ kind: 'trained', employeeCount: 3, metrics: { strategy: 'shortlist' } });
    const models = t.app.services.recognitionModels;
    expect(models.status()).toMatchObject({ method: 'svm', svm: { classCount: 3 } });
    const obama = staff.find((p) => p.name === 'obama')!;
    expect(await recognize('probes/obama-press.jpg')).toMatchObject([{ employee_id: obama.employee.id, recognition_method: 'svm' }]);

    const [rose] = await seedPeopleFromPhotos(t.app, ['rose_leslie']);
    const enrolledAt = performance.now();
    // rose-kit.jpg: Rose Leslie (left) and Kit Harington (right).
    const first = await recognize('probes/rose-kit.jpg');
    expect(performance.now() - enrolledAt).toBeLessThan(2000);
    expect(first.map((f) => f.employee_id).sort()).toEqual([rose!.employee.id, staff.find((p) => p.name === 'kit_harington')!.employee.id].sort());

    await models.settled();
    expect(models.status()).toMatchObject({ method: 'svm', svm: { classCount: 4 } });
    const after = await recognize('probes/rose-kit.jpg');
    expect(after.find((f) => f.employee_id === rose!.employee.id)).toMatchObject({ recognition_method: 'svm' });
    // Still the one full training.
    expect(await t.app.deps.prisma.classifierModel.count()).toBe(1);
  }, 60_000);

  it('erasing someone drops their machine at once', async () => {
    const biden = staff.find((p) => p.name === 'biden')!;
    const res = await t.rest('DELETE', `/api/v1/employees/${biden.employee.id}?erase=true`);
    expect(res.status).toBeLessThan(300);
    const models = t.app.services.recognitionModels;
    for (let i = 0; i < 50 && models.status().svm?.classCount !== 3; i++) {
      await new Promise((r) => setTimeout(r, 100));
    }
    expect(models.status()).toMatchObject({ method: 'svm', employeeCount: 3, svm: { classCount: 3 } });
  }, 30_000);
});
