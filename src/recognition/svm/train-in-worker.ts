// trainClassifierInWorker: trainClassifier in a worker thread of the generic pool, with progress
// over a MessageChannel; fitMachineInWorker: one employee's shortlist machine there too. Pass a
// long-lived pool (createTrainPool) or let it start a one-off worker. The worker lowers its own
// thread's scheduling priority (train-worker-entry.ts): a training never starves live cameras.
import { MessageChannel } from 'node:worker_threads';
import { WorkerPool } from '../../engine/pool/worker-pool.js';
import { deserializeClassifier } from '../classifier.js';
import type { MachineInput } from '../shortlist/incremental.js';
import type { EmployeeMachine, ShortlistModel } from '../shortlist/shortlist-model.js';
import type { ClassifierPhase, ClassifierTrainOptions, ClassifierTrainResult } from '../train-classifier.js';
import { packTrainingSet, type MachineTask, type ProgressMessage, type TrainTask, type TrainTaskResult } from './train-task.js';
import type { SvmMetrics, SvmModel, TrainOptions, TrainingSet } from './types.js';

export type TrainPool = WorkerPool<TrainTask | MachineTask, TrainTaskResult>;

/** Training result plus the serialized model, ready to be stored as is. */
export type WorkerTrainResult =
  | Extract<ClassifierTrainResult, { kind: 'skipped' }>
  | (Extract<ClassifierTrainResult, { kind: 'trained' }> & { modelBytes: Uint8Array });

export interface TrainInWorkerOptions {
  signal?: AbortSignal;
  onProgress?: (p: { phase: ClassifierPhase; done: number; total: number }) => void;
  /** Reuse a pool; without it a single worker is started for this training and closed after. */
  pool?: TrainPool;
  /** Default 10 minutes: a training is long but must not hang forever. */
  timeoutMs?: number;
}

const DEFAULT_TIMEOUT_MS = 10 * 60_000;

export function createTrainPool(opts: { taskTimeoutMs?: number; queueLimit?: number } = {}): TrainPool {
  return new WorkerPool<TrainTask | MachineTask, TrainTaskResult>({
    workerFile: new URL(`./train-worker-entry${import.meta.url.endsWith('.ts') ? '.ts' : '.js'}`, import.meta.url),
    size: 1,
    queueLimit: opts.queueLimit ?? 4,
    taskTimeoutMs: opts.taskTimeoutMs ?? DEFAULT_TIMEOUT_MS,
    name: 'svm-train',
  });
}

/** The multi-class SVM alone (strategy 'global'), as before the shortlist classifier existed. */
export async function trainSvmInWorker(
  set: TrainingSet,
  opts: Omit<TrainOptions, 'onProgress' | 'signal'>,
  run: TrainInWorkerOptions = {},
): Promise<WorkerTrainResult & ({ kind: 'skipped' } | { model: SvmModel; metrics: SvmMetrics })> {
  const r = await trainClassifierInWorker(set, { strategy: 'global', globalMaxEmployees: 0, svm: opts, shortlist: { C: opts.C } }, run);
  if (r.kind === 'trained' && (!('strategy' in r.metrics) || r.metrics.strategy !== 'global' || 'kind' in r.model)) {
    throw new Error('expected a multi-class SVM');
  }
  return r as WorkerTrainResult & ({ kind: 'skipped' } | { model: SvmModel; metrics: SvmMetrics });
}

/** One employee's shortlist machine (new hire, re-enrollment), off the event loop. */
export async function fitMachineInWorker(
  pool: TrainPool,
  model: Pick<ShortlistModel, 'C' | 'local' | 'cap'>,
  input: MachineInput,
  timeoutMs = 30_000,
): Promise<EmployeeMachine> {
  const result = await pool.run({ kind: 'machine', model: { C: model.C, local: model.local, cap: model.cap }, input }, { timeoutMs });
  if (result.kind !== 'machine') {
    throw new Error('the training worker did not return a machine');
  }
  return result.machine;
}

export async function trainClassifierInWorker(
  set: TrainingSet,
  opts: ClassifierTrainOptions,
  run: TrainInWorkerOptions = {},
): Promise<WorkerTrainResult> {
  const pool = run.pool ?? createTrainPool({ taskTimeoutMs: run.timeoutMs ?? DEFAULT_TIMEOUT_MS });
  const { port1, port2 } = new MessageChannel();
  port1.on('message', (msg: ProgressMessage) => {
    if (msg.type === 'progress') {
      run.onProgress?.({ phase: msg.phase, done: msg.done, total: msg.total });
    }
  });
  // The worker closes its end after the last progress message; waiting for that delivers the
  // final messages, which may arrive after the result (it travels on the pool's own channel).
  const drained = new Promise<void>((resolve) => {
    port1.once('close', resolve);
    setTimeout(resolve, 1000).unref();
  });
  // Never let the progress port alone keep the process alive.
  port1.unref();
  const packed = packTrainingSet(set);
  const task: TrainTask = { ...packed, options: opts, progress: port2 };
  try {
    const result = await pool.run(task, {
      transfer: [packed.data.buffer as ArrayBuffer, port2],
      ...(run.signal ? { signal: run.signal } : {}),
      ...(run.timeoutMs ? { timeoutMs: run.timeoutMs } : {}),
    });
    await drained;
    if (result.kind === 'skipped') {
      return result;
    }
    if (result.kind === 'machine') {
      throw new Error('the training worker returned a machine for a training');
    }
    const { modelBytes, ...rest } = result;
    return { ...rest, model: deserializeClassifier(modelBytes), modelBytes };
  } finally {
    port1.close();
    if (!run.pool) {
      await pool.close();
    }
  }
}
