// One size of `bench:training --service` (run in a child process): the real app on a fresh
// MariaDB database with N synthetic employees' templates stored, one real person seeded from
// photos; then the training service (load from MariaDB, train in the low-priority worker,
// persist, make live) and recognize through the recognition service (real engine on a real
// photo + the decision) at this size.
import { randomBytes } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { buildApp } from '../../src/app.js';
import { parseConfig } from '../../src/config.js';
import { encodeEmbedding } from '../../src/recognition/template-repository.js';
import { syntheticTrainingSet } from '../../src/recognition/svm/synthetic-embeddings.js';
import { createTestDatabase } from '../../test/helpers/database.js';
import { readFacePhoto, seedPeopleFromPhotos } from '../../test/helpers/seed-faces.js';

export interface ServiceSizeResult {
  employees: number;
  templates: number;
  /** Storing the synthetic templates (not part of training). */
  storeMs: number;
  trainWallMs: number;
  /** CPU of the whole process (main thread + training worker) during train(). */
  trainCpuMs: number;
  peakRssMiB: number;
  strategy: string;
  cvAccuracy: number;
  trainedTemplates: number;
  /** recognize(): engine analyze + decision + lookup, in process, p50 / p95. */
  recognizeP50Ms: number;
  recognizeP95Ms: number;
  decideP50Ms: number;
  named: string | null;
  method: string | null;
}

const pct = (sorted: number[], p: number): number => sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))] ?? 0;

export async function measureServiceSize(employees: number, templates: number): Promise<ServiceSizeResult> {
  const db = await createTestDatabase();
  const parsed = parseConfig({
    NODE_ENV: 'production',
    HOST: '127.0.0.1',
    PORT: '0',
    LOG_LEVEL: 'warn',
    DATABASE_URL: db.url,
    SECRET_KEY: randomBytes(24).toString('hex'),
    AUTO_RETRAIN: 'false',
    AUGMENTATION_COUNT: '2',
    SNAPSHOTS_ENABLED: 'false',
    DATA_DIR: join(tmpdir(), 'fa-bench-training'),
  });
  if (!parsed.ok) {
    throw new Error(parsed.problems.join('; '));
  }
  const app = await buildApp(parsed.config, { prisma: db.prisma });
  try {
    await app.start();
    const engine = app.deps.faceEngine;
    if (!engine) {
      throw new Error('no face engine: npm run models:fetch');
    }
    const t0 = performance.now();
    const set = syntheticTrainingSet({ classes: employees, perClass: templates, dim: engine.embeddingSize, seed: 11 });
    await db.prisma.employee.createMany({
      data: Array.from({ length: employees }, (_, c) => ({ employeeCode: `SYN-${c + 1}`, fullName: `Synthetic ${c + 1}` })),
    });
    const rows = await db.prisma.employee.findMany({ where: { employeeCode: { startsWith: 'SYN-' } }, select: { id: true, employeeCode: true } });
    const idOf = new Map(rows.map((r) => [Number(r.employeeCode.slice(4)), r.id]));
    for (let start = 0; start < set.vectors.length; start += 2000) {
      await db.prisma.faceTemplate.createMany({
        data: set.vectors.slice(start, start + 2000).map((v, i) => ({
          employeeId: idOf.get(set.labels[start + i]!)!,
          modelId: engine.modelId,
          embedding: encodeEmbedding(v),
          quality: set.qualities![start + i]!,
          kind: 'sample' as const,
          source: 'bench',
        })),
      });
    }
    await seedPeopleFromPhotos(app, ['obama'], { codePrefix: 'REAL-' });
    await app.services.recognitionModels.reload();
    const storeMs = performance.now() - t0;

    const cpu0 = process.cpuUsage();
    const t1 = performance.now();
    const trained = await app.services.training.train({ force: true });
    const trainWallMs = performance.now() - t1;
    const cpu = process.cpuUsage(cpu0);
    if (trained.kind !== 'trained') {
      throw new Error(`training skipped: ${trained.reason}`);
    }

    const frame = await sharp(readFacePhoto('probes/obama-press.jpg')).resize(640, 480, { fit: 'cover' }).jpeg({ quality: 90 }).toBuffer();
    const total: number[] = [];
    const decide: number[] = [];
    let last: { named: string | null; method: string | null } = { named: null, method: null };
    for (let i = 0; i < 80; i++) {
      const t = performance.now();
      const r = await app.services.recognition.recognize(frame, { logAttendance: false, requestId: `bench-${i}` });
      if (i >= 20) {
        total.push(performance.now() - t);
        decide.push(r.timingsMs.decide);
      }
      last = { named: r.faces[0]?.employee?.fullName ?? null, method: r.faces[0]?.method ?? null };
    }
    total.sort((a, b) => a - b);
    decide.sort((a, b) => a - b);
    return {
      employees,
      templates,
      storeMs,
      trainWallMs,
      trainCpuMs: (cpu.user + cpu.system) / 1000,
      peakRssMiB: process.resourceUsage().maxRSS / 1024,
      strategy: trained.metrics.strategy,
      cvAccuracy: trained.metrics.cvAccuracy,
      trainedTemplates: trained.templateCount,
      recognizeP50Ms: pct(total, 0.5),
      recognizeP95Ms: pct(total, 0.95),
      decideP50Ms: pct(decide, 0.5),
      ...last,
    };
  } finally {
    await app.stop();
    await db.drop();
  }
}
