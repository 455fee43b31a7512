// Training service over GraphQL: train, list, reload from storage (a second
// app on the same database finds the live SVM), automatic retrain after an
// enrollment, erasure drops the person from the gallery at once.
import { print } from 'graphql';
import { createClient } from 'graphql-ws';
import WebSocket from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/app.js';
import { AUTO_RETRAIN_DEBOUNCE_MS } from '../../src/services/training-service.js';
import {
  RecognitionModelsDocument,
  ReloadModelsDocument,
  TrainModelDocument,
  TrainingProgressDocument,
  type TrainingProgressSubscription,
} from '../graphql/generated.js';
import { startTestApp, type TestApp } from '../helpers/test-app.js';
import { seedPeopleFromPhotos } from '../helpers/seed-faces.js';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp({ env: { WORKER_POOL_SIZE: '1', AUGMENTATION_COUNT: '2', AUTO_RETRAIN: 'true' } });
  await seedPeopleFromPhotos(t.app, ['biden', 'kit_harington']);
}, 60_000);
afterAll(() => t?.stop());

describe('training over GraphQL', () => {
  it('trainModel trains, then skips when nothing changed; a viewer may not train', async () => {
    const first = await t.gql(TrainModelDocument, { forceRetrain: false });
    expect(first.data?.trainModel).toMatchObject({ status: 'trained', employeeCount: 2, live: true });
    expect(first.data?.trainModel.cvAccuracy).toBeGreaterThan(0.9);
    const again = await t.gql(TrainModelDocument, {});
    expect(again.data?.trainModel).toMatchObject({ status: 'skipped', reason: 'unchanged', classifierModelId: first.data?.trainModel.classifierModelId });
    const viewer = await t.createKey('viewer');
    expect((await t.gql(TrainModelDocument, {}, viewer)).errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
  }, 30_000);

  it('the active model is listed and the models report svm; a second app loads it from storage', async () => {
    const res = await t.gql(RecognitionModelsDocument, {});
    expect(res.data?.recognitionModels).toMatchObject({ method: 'svm', employeeCount: 2, modelPack: t.app.deps.faceEngine!.modelId });
    expect(res.data?.activeClassifierModel).toMatchObject({ isActive: true, employeeCount: 2 });
    expect(res.data?.classifierModels.filter((m) => m.isActive)).toHaveLength(1);

    const second = await buildApp(t.config, { prisma: t.db.prisma, faceEngine: t.app.deps.faceEngine });
    try {
      await second.services.recognitionModels.ready();
      expect(second.services.recognitionModels.status()).toMatchObject({ method: 'svm', employeeCount: 2 });
    } finally {
      await second.stop();
    }
    const reloaded = await t.gql(ReloadModelsDocument, {});
    expect(reloaded.data?.reloadModels).toMatchObject({ method: 'svm', employeeCount: 2 });
  }, 30_000);

  it('a new employee is decided by cosine (the SVM stays live for the others) until the debounced automatic retrain', async () => {
    await seedPeopleFromPhotos(t.app, ['rose_leslie']);
    expect(t.app.services.recognitionModels.status()).toMatchObject({ method: 'svm', employeeCount: 3, svm: { classCount: 2 } });
    t.app.services.training.scheduleAutoRetrain();
    t.app.services.training.scheduleAutoRetrain();
    await new Promise((r) => setTimeout(r, AUTO_RETRAIN_DEBOUNCE_MS + 500));
    for (let i = 0; i < 100 && t.app.services.recognitionModels.status().method !== 'svm'; i++) {
      await new Promise((r) => setTimeout(r, 100));
    }
    for (let i = 0; i < 100 && t.app.services.recognitionModels.status().svm?.classCount !== 3; i++) {
      await new Promise((r) => setTimeout(r, 100));
    }
    expect(t.app.services.recognitionModels.status()).toMatchObject({ method: 'svm', employeeCount: 3, svm: { classCount: 3 } });
    // Debounced: two schedules, one new model.
    expect(await t.app.deps.prisma.classifierModel.count()).toBe(2);
  }, 30_000);

  it('trainingProgress streams over graphql-ws', async () => {
    const client = createClient({
      url: `${t.url.replace('http', 'ws')}/graphql`,
      webSocketImpl: WebSocket,
      connectionParams: { authorization: `Bearer ${t.adminKey}` },
      retryAttempts: 0,
    });
    const events: string[] = [];
    try {
      const sub = client.iterate<TrainingProgressSubscription>({ query: print(TrainingProgressDocument) });
      const finished = (async () => {
        for await (const msg of sub) {
          const p = msg.data?.trainingProgress;
          events.push(`${p?.status}:${p?.phase ?? ''}`);
          // A whole training seen, from its start (the first may be caught half-way).
          if (p?.status === 'finished' && events.includes('started:')) {
            return;
          }
        }
      })();
      // No message confirms the subscription is live: train until an event arrives (bounded).
      for (let i = 0; i < 5 && !events.includes('started:'); i++) {
        await new Promise((r) => setTimeout(r, 200));
        await t.gql(TrainModelDocument, { forceRetrain: true });
      }
      await finished;
      const start = events.indexOf('started:');
      events.splice(0, start);
    } finally {
      await client.dispose();
    }
    expect(events).toContain('running:grid');
    expect(events.at(-1)).toBe('finished:');
  }, 30_000);

  it('erasure removes the person from the gallery at once', async () => {
    const kit = await t.app.deps.prisma.employee.findFirstOrThrow({ where: { employeeCode: 'FACE-kit_harington' } });
    await t.app.services.employees.erase(null, kit.id);
    for (let i = 0; i < 50 && t.app.services.recognitionModels.status().employeeCount !== 2; i++) {
      await new Promise((r) => setTimeout(r, 20));
    }
    expect(t.app.services.recognitionModels.status()).toMatchObject({ employeeCount: 2, method: 'cosine' });
  });
});

describe('SVM_BACKEND', () => {
  it('libsvm (libsvm-js, wasm) trains through the same service path', async () => {
    const other = await buildApp({ ...t.config, SVM_BACKEND: 'libsvm' }, { prisma: t.db.prisma, faceEngine: t.app.deps.faceEngine });
    try {
      const outcome = await other.services.training.train({ force: true });
      expect(outcome.kind).toBe('trained');
      if (outcome.kind === 'trained') {
        expect('backend' in outcome.metrics ? outcome.metrics.backend : outcome.metrics.strategy).toBe('libsvm');
        expect(outcome.live).toBe(true);
      }
      expect(other.services.recognitionModels.status().method).toBe('svm');
    } finally {
      await other.stop();
    }
  }, 30_000);
});
