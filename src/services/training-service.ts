// Training service: SVM on the stored templates of the engine's model pack,
// in a worker thread (the event loop never runs the grid search), persisted
// as a ClassifierModel and made live in the recognition models. One training
// at a time: a second call joins the running one. Progress goes out on the
// `trainingProgress` topic.
import type { Logger } from 'pino';
import type { Config } from '../config.js';
import { UnavailableError } from '../domain/errors.js';
import type { FaceEngine } from '../engine/face-engine.js';
import type { EventPublisher } from '../events/event-bus.js';
import type { ClassifierModel, Prisma } from '../generated/prisma/client.js';
import type { ClassifierModelRepository } from '../recognition/classifier-model-repository.js';
import type { TrainingProgressEvent } from '../recognition/events.js';
import { createTrainPool, trainClassifierInWorker, type TrainPool } from '../recognition/svm/train-in-worker.js';
import type { ClassifierMetrics, ClassifierTrainOptions } from '../recognition/train-classifier.js';
import type { StoredTemplate, TemplateRepository } from '../recognition/template-repository.js';
import type { RecognitionModels } from './recognition-models.js';

export type TrainOutcome =
  | {
      kind: 'trained';
      classifierModelId: number;
      metrics: ClassifierMetrics;
      employeeCount: number;
      /** Templates the SVM was trained on (after the per-employee cap). */
      templateCount: number;
      trainingMs: number;
      /** False when the gallery changed during training (the model is stored but cosine stays live until retrained). */
      live: boolean;
    }
  | {
      kind: 'skipped';
      reason: 'fewer_than_two_employees' | 'unchanged';
      employeeCount: number;
      templateCount: number;
      /** The model already live, for 'unchanged'. */
      classifierModelId?: number;
    };

export interface TrainingService {
  train(opts?: { force?: boolean }): Promise<TrainOutcome>;
  /** Debounced retrain after enrollment (AUTO_RETRAIN); errors are logged, never thrown. */
  scheduleAutoRetrain(): void;
  readonly running: boolean;
  listModels(opts?: { take?: number }): Promise<ClassifierModel[]>;
  activeModel(): Promise<ClassifierModel | null>;
  close(): Promise<void>;
}

/** Enrollments often come in bursts: wait for a quiet spell before retraining. */
export const AUTO_RETRAIN_DEBOUNCE_MS = 3_000;

interface Fingerprint {
  count: number;
  maxId: number;
  employees: number[];
}

function fingerprintOf(templates: readonly StoredTemplate[]): Fingerprint {
  return {
    count: templates.length,
    maxId: templates.reduce((m, t) => Math.max(m, t.id), 0),
    employees: [...new Set(templates.map((t) => Number(t.employeeId)))].sort((a, b) => a - b),
  };
}

const sameFingerprint = (a: Fingerprint, b: unknown): boolean => JSON.stringify(a) === JSON.stringify(b);

/** Samples and augmented variants train the SVM; an employee with only a mean template keeps it. */
function trainingTemplates(all: readonly StoredTemplate[]): StoredTemplate[] {
  const withSamples = new Set(all.filter((t) => t.kind !== 'mean').map((t) => t.employeeId));
  return all.filter((t) => t.kind !== 'mean' || !withSamples.has(t.employeeId));
}

export interface TrainingServiceDeps {
  config: Pick<
    Config,
    'SVM_KERNEL' | 'SVM_C' | 'SVM_GAMMA' | 'SVM_MAX_TEMPLATES_PER_EMPLOYEE' | 'SVM_BACKEND' | 'SVM_STRATEGY' | 'SVM_GLOBAL_MAX_EMPLOYEES' | 'AUTO_RETRAIN'
  >;
  log: Logger;
  clock: () => Date;
  events: EventPublisher;
  faceEngine: Pick<FaceEngine, 'modelId'> | null;
  templates: TemplateRepository;
  classifierModels: ClassifierModelRepository;
  /** Where a trained model goes live. */
  models: Pick<RecognitionModels, 'activateSvm'>;
  /** Several instances: one trainer at a time across all of them (a Redis lock); others wait, then find the result. */
  lock?: { exclusive<T>(fn: () => Promise<T>): Promise<T> };
  /** The training worker pool, shared with the new-hire machine fits (created on first use when absent). */
  pool?: () => TrainPool;
}

export function createTrainingService(deps: TrainingServiceDeps): TrainingService {
  const log = deps.log.child({ component: 'training' });
  let pool: TrainPool | undefined;
  let current: Promise<TrainOutcome> | undefined;
  let timer: NodeJS.Timeout | undefined;
  let closed = false;

  const publish = (e: Omit<TrainingProgressEvent, 'at'>): void => {
    deps.events.publish('trainingProgress', { ...e, at: deps.clock().toISOString() });
  };

  const run = async (force: boolean): Promise<TrainOutcome> => {
    const engine = deps.faceEngine;
    if (!engine) {
      throw new UnavailableError('face models not installed: run npm run models:fetch');
    }
    // `let`: dropped once the worker has its packed copy (5,000 x 20 templates are ~200 MB here).
    let all: StoredTemplate[] | undefined = await deps.templates.load(engine.modelId);
    let templates: StoredTemplate[] | undefined = trainingTemplates(all);
    const templateCount = templates.length;
    const fingerprint = fingerprintOf(all);
    const employeeCount = fingerprint.employees.length;
    if (employeeCount < 2) {
      return { kind: 'skipped', reason: 'fewer_than_two_employees', employeeCount, templateCount };
    }
    const active = await deps.classifierModels.active(engine.modelId);
    const activeParams = active?.params as { fingerprint?: unknown } | null | undefined;
    if (!force && active && sameFingerprint(fingerprint, activeParams?.fingerprint)) {
      return { kind: 'skipped', reason: 'unchanged', employeeCount, templateCount: active.templateCount, classifierModelId: active.id };
    }

    const options: ClassifierTrainOptions = {
      strategy: deps.config.SVM_STRATEGY,
      globalMaxEmployees: deps.config.SVM_GLOBAL_MAX_EMPLOYEES,
      svm: {
        kernel: deps.config.SVM_KERNEL,
        C: deps.config.SVM_C,
        gamma: deps.config.SVM_GAMMA,
        maxPerClass: deps.config.SVM_MAX_TEMPLATES_PER_EMPLOYEE,
        backend: deps.config.SVM_BACKEND,
      },
      shortlist: { C: deps.config.SVM_C, maxPerClass: deps.config.SVM_MAX_TEMPLATES_PER_EMPLOYEE },
    };
    publish({ status: 'started', phase: null, done: 0, total: 0, message: `${employeeCount} employees, ${templateCount} templates` });
    pool ??= deps.pool?.() ?? createTrainPool();
    const trainedModelId = `${engine.modelId}:${deps.clock().toISOString()}`;
    // trainClassifierInWorker packs the set into one transferable array before its first await.
    const job = trainClassifierInWorker(
      {
        vectors: templates.map((t) => t.embedding),
        labels: templates.map((t) => Number(t.employeeId)),
        qualities: templates.map((t) => t.quality),
        modelId: trainedModelId,
      },
      options,
      { pool, onProgress: (p) => publish({ status: 'running', phase: p.phase, done: p.done, total: p.total, message: null }) },
    );
    all = undefined;
    templates = undefined;
    const result = await job;
    if (result.kind === 'skipped') {
      return { kind: 'skipped', reason: result.reason, employeeCount: result.classCount, templateCount: result.templateCount };
    }
    const trainingMs = Math.round(result.trainingMs);
    const params = {
      ...options,
      strategy: result.metrics.strategy,
      gamma: 'kind' in result.model ? 0 : result.model.gamma,
      C: result.model.C,
      gammaSeed: deps.config.SVM_GAMMA,
      cSeed: deps.config.SVM_C,
      trainedModelId,
      fingerprint,
    };
    const saved = await deps.classifierModels.saveActive({
      modelId: engine.modelId,
      kind: 'kind' in result.model ? 'shortlist-linear' : `svm-${result.model.kernel}`,
      artifact: new Uint8Array(result.modelBytes),
      params: params as unknown as Prisma.InputJsonValue,
      metrics: result.metrics as unknown as Prisma.InputJsonValue,
      templateCount: result.templateCount,
      employeeCount: result.classCount,
      trainingMs,
    });
    const live = await deps.models.activateSvm({
      id: saved.id,
      model: result.model,
      metrics: result.metrics,
      trainedAt: saved.createdAt,
    });
    log.info(
      { classifierModelId: saved.id, employees: result.classCount, templates: result.templateCount, trainingMs, cvAccuracy: result.metrics.cvAccuracy, live },
      'SVM trained',
    );
    return {
      kind: 'trained',
      classifierModelId: saved.id,
      metrics: result.metrics,
      employeeCount: result.classCount,
      templateCount: result.templateCount,
      trainingMs,
      live,
    };
  };

  const service: TrainingService = {
    get running() {
      return current !== undefined;
    },
    train(opts = {}) {
      if (current) {
        // Join the running training: its result covers this request too.
        return current;
      }
      const force = opts.force ?? false;
      const started = (deps.lock ? deps.lock.exclusive(() => run(force)) : run(force))
        .then((outcome) => {
          publish({
            status: 'finished',
            phase: null,
            done: 1,
            total: 1,
            message: outcome.kind === 'trained' ? `trained model ${outcome.classifierModelId}` : `skipped: ${outcome.reason}`,
          });
          return outcome;
        })
        .catch((error: unknown) => {
          publish({ status: 'failed', phase: null, done: 0, total: 0, message: error instanceof Error ? error.message : String(error) });
          throw error;
        })
        .finally(() => {
          current = undefined;
        });
      current = started;
      return started;
    },
    scheduleAutoRetrain() {
      if (!deps.config.AUTO_RETRAIN || closed) {
        return;
      }
      clearTimeout(timer);
      timer = setTimeout(() => {
        timer = undefined;
        // A running training may predate the enrollment: let it finish, then train again.
        void (current ?? Promise.resolve())
          .catch(() => undefined)
          .then(() => (closed ? undefined : service.train({ force: false })))
          .catch((error: unknown) => log.error({ err: error }, 'automatic retrain failed'));
      }, AUTO_RETRAIN_DEBOUNCE_MS);
      timer.unref();
    },
    listModels(opts = {}) {
      return deps.classifierModels.list(deps.faceEngine?.modelId ?? null, opts.take ?? 20);
    },
    activeModel() {
      return deps.faceEngine ? deps.classifierModels.active(deps.faceEngine.modelId) : Promise.resolve(null);
    },
    async close() {
      closed = true;
      clearTimeout(timer);
      await current?.catch(() => undefined);
      // A pool handed in by the composition root is closed there.
      if (!deps.pool) {
        await pool?.close();
      }
    },
  };
  return service;
}
