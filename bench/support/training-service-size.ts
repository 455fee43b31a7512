// One size of `bench:training --service` (run in a child process): the real app on a fresh
// MariaDB database with N synthetic employees' templates stored, one real person seeded from
// photos; then the training service (load from MariaDB, train in the low-priority worker,
// persist, make live) and recognize through the recognition service (real engine on a real
// photo + the decision) at this size.
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import type { App } from '../../src/app.js';
import { modelPackId } from '../../src/domain/ids.js';
import { classifierFor } from '../../src/recognition/classifier.js';
import { decisionParams } from '../../src/recognition/decision-rules.js';
import { Recognizer } from '../../src/recognition/recognizer.js';
import { createTemplateRepository } from '../../src/recognition/template-repository.js';
import { trainClassifier } from '../../src/recognition/train-classifier.js';
import { Gallery } from '../../src/vision/gallery.js';
import { syntheticTrainingSet } from '../../src/recognition/svm/synthetic-embeddings.js';
import { readFacePhoto, seedPeopleFromPhotos } from '../../test/helpers/seed-faces.js';
import { startBenchApp, storeSyntheticEmployees } from './bench-app.js';

export interface ServiceSizeResult {
  employees: number;
  templates: number;
  /** Storing the synthetic templates (not part of training). */
  storeMs: number;
  trainWallMs: number;
  /** CPU of the whole process (main thread + training worker) during train(). */
  trainCpuMs: number;
  peakRssMiB: number;
  /** Highest RSS sampled every 50 ms while train() ran (the bench's own data generation left out as far as GC allows). */
  trainRssMiB: number;
  strategy: string;
  cvAccuracy: number;
  trainedTemplates: number;
  /** recognize(): engine analyze + decision + lookup, in process, p50 / p95. */
  recognizeP50Ms: number;
  recognizeP95Ms: number;
  decideP50Ms: number;
  /**
   * The same frame analysed and decided against a 5-employee gallery with its own classifier,
   * interleaved request by request with the ones above (same load, same process), p50.
   */
  smallRecognizeP50Ms: number;
  smallDecideP50Ms: number;
  named: string | null;
  method: string | null;
}

const pct = (sorted: number[], p: number): number => sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))] ?? 0;

export async function measureServiceSize(employees: number, templates: number): Promise<ServiceSizeResult> {
  const { app, engine, stop } = await startBenchApp({ AUGMENTATION_COUNT: '2', SNAPSHOTS_ENABLED: 'false', DATA_DIR: join(tmpdir(), 'fa-bench-training') });
  try {
    const t0 = performance.now();
    const set = syntheticTrainingSet({ classes: employees, perClass: templates, dim: engine.embeddingSize, seed: 11 });
    await storeSyntheticEmployees(app, set, engine.modelId);
    await seedPeopleFromPhotos(app, ['obama'], { codePrefix: 'REAL-' });
    await app.services.recognitionModels.reload();
    const storeMs = performance.now() - t0;

    (globalThis as { gc?: () => void }).gc?.();
    let trainRss = process.memoryUsage().rss;
    const sampler = setInterval(() => (trainRss = Math.max(trainRss, process.memoryUsage().rss)), 50);
    const cpu0 = process.cpuUsage();
    const t1 = performance.now();
    const trained = await app.services.training.train({ force: true }).finally(() => clearInterval(sampler));
    const trainWallMs = performance.now() - t1;
    const cpu = process.cpuUsage(cpu0);
    if (trained.kind !== 'trained') {
      throw new Error(`training skipped: ${trained.reason}`);
    }

    const frame = await sharp(readFacePhoto('probes/obama-press.jpg')).resize(640, 480, { fit: 'cover' }).jpeg({ quality: 90 }).toBuffer();
    const small = await smallRecognizer(app, engine.modelId, 4);
    const total: number[] = [];
    const decide: number[] = [];
    const smallTotal: number[] = [];
    const smallDecide: number[] = [];
    let last: { named: string | null; method: string | null } = { named: null, method: null };
    for (let i = 0; i < 100; i++) {
      const t = performance.now();
      const r = await app.services.recognition.recognize(frame, { logAttendance: false });
      const t2 = performance.now();
      const analysis = await engine.analyze(frame, { embed: true });
      const t3 = performance.now();
      await small.recognize(
        analysis.faces.map((f) => f.embedding),
        analysis.faces.map((f) => f.quality),
      );
      const t4 = performance.now();
      if (i >= 20) {
        total.push(t2 - t);
        decide.push(r.timingsMs.decide);
        smallTotal.push(t4 - t2);
        smallDecide.push(t4 - t3);
      }
      last = { named: r.faces[0]?.employee?.fullName ?? null, method: r.faces[0]?.method ?? null };
    }
    for (const a of [total, decide, smallTotal, smallDecide]) {
      a.sort((x, y) => x - y);
    }
    return {
      employees,
      templates,
      storeMs,
      trainWallMs,
      trainCpuMs: (cpu.user + cpu.system) / 1000,
      peakRssMiB: process.resourceUsage().maxRSS / 1024,
      trainRssMiB: trainRss / 2 ** 20,
      strategy: trained.metrics.strategy,
      cvAccuracy: trained.metrics.cvAccuracy,
      trainedTemplates: trained.templateCount,
      recognizeP50Ms: pct(total, 0.5),
      recognizeP95Ms: pct(total, 0.95),
      decideP50Ms: pct(decide, 0.5),
      smallRecognizeP50Ms: pct(smallTotal, 0.5),
      smallDecideP50Ms: pct(smallDecide, 0.5),
      ...last,
    };
  } finally {
    await stop();
  }
}

/** The real person plus `synthetic` stored employees, in a gallery and classifier of their own. */
async function smallRecognizer(app: App, modelId: string, synthetic: number): Promise<Recognizer> {
  const templates = await createTemplateRepository(app.deps.prisma, app.deps.templateCipher).load(modelId);
  const real = templates.filter((t) => t.kind !== 'mean' && app.services.recognitionModels.employee(t.employeeId)?.employeeCode.startsWith('REAL-'));
  const firstSynthetic = [...new Set(templates.map((t) => t.employeeId))].filter((id) => !real.some((r) => r.employeeId === id)).slice(0, synthetic);
  const rows = [...real, ...templates.filter((t) => firstSynthetic.includes(t.employeeId))];
  const gallery = Gallery.fromRows(rows.map((t) => ({ employeeId: t.employeeId, embedding: t.embedding })));
  const trained = await trainClassifier(
    { vectors: rows.map((t) => t.embedding), labels: rows.map((t) => Number(t.employeeId)), modelId: 'small' },
    { strategy: 'auto', globalMaxEmployees: 60, svm: { kernel: 'rbf', C: 1, gamma: 'scale' }, shortlist: { C: 1 } },
  );
  if (trained.kind !== 'trained') {
    throw new Error('small classifier not trained');
  }
  return new Recognizer(modelPackId(modelId), decisionParams(), { gallery, svm: classifierFor(trained.model) });
}
