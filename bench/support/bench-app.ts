// The real app a benchmark measures: a fresh MariaDB database, production settings, warn-level
// logs, no automatic retraining (`env` adds to these), started, with its face engine; and the
// synthetic employees the training benchmarks store before they train.
import type { App } from '../../src/app.js';
import { buildApp } from '../../src/app.js';
import type { Config } from '../../src/config.js';
import { templateAad } from '../../src/crypto/template-cipher.js';
import type { FaceEngine } from '../../src/engine/face-engine.js';
import type { TrainingSet } from '../../src/recognition/svm/types.js';
import { encodeEmbedding } from '../../src/recognition/template-repository.js';
import { createTestDatabase, type TestDatabase } from '../../test/helpers/database.js';
import { testConfig } from '../../test/helpers/test-config.js';

export interface BenchApp {
  db: TestDatabase;
  config: Config;
  app: App;
  url: string;
  engine: FaceEngine;
  /** Stops the app and drops its database. */
  stop: () => Promise<void>;
}

export async function startBenchApp(env: Record<string, string>): Promise<BenchApp> {
  const db = await createTestDatabase();
  const config = testConfig({ NODE_ENV: 'production', LOG_LEVEL: 'warn', AUTO_RETRAIN: 'false', DATABASE_URL: db.url, ...env });
  const app = await buildApp(config, { prisma: db.prisma });
  const stop = async (): Promise<void> => {
    await app.stop();
    await db.drop();
  };
  try {
    const { url } = await app.start();
    const engine = app.deps.faceEngine;
    if (!engine) {
      throw new Error('no face engine: npm run models:fetch');
    }
    return { db, config, app, url, engine, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}

/**
 * One employee SYN-<label> per class of `set`, its vectors stored as its templates (kind sample,
 * source bench, the set's qualities), encrypted as the app stores them, 2000 rows a statement.
 */
export async function storeSyntheticEmployees(app: App, set: TrainingSet, modelId: string): Promise<void> {
  const prisma = app.deps.prisma;
  const labels = [...new Set(set.labels)];
  await prisma.employee.createMany({ data: labels.map((label) => ({ employeeCode: `SYN-${label}`, fullName: `Synthetic ${label}` })) });
  const rows = await prisma.employee.findMany({ where: { employeeCode: { startsWith: 'SYN-' } }, select: { id: true, employeeCode: true } });
  const idOf = new Map(rows.map((r) => [Number(r.employeeCode.slice(4)), r.id]));
  for (let start = 0; start < set.vectors.length; start += 2000) {
    await prisma.faceTemplate.createMany({
      data: set.vectors.slice(start, start + 2000).map((v, i) => {
        const employeeId = idOf.get(set.labels[start + i]!)!;
        return {
          employeeId,
          modelId,
          embedding: app.deps.templateCipher.encrypt(encodeEmbedding(v), templateAad(employeeId, modelId)),
          quality: set.qualities![start + i]!,
          kind: 'sample' as const,
          source: 'bench',
        };
      }),
    });
  }
}
