// trainSvmInWorker: trainSvm in a worker thread of the generic pool, with progress over a
// MessageChannel. Pass a long-lived pool (createTrainPool) or let it start a one-off worker.
import { MessageChannel } from 'node:worker_threads';
import { WorkerPool } from '../../engine/pool/worker-pool.js';
import { deserializeSvm } from './serialize-svm.js';
import { packTrainingSet, type ProgressMessage, type TrainTask, type TrainTaskResult } from './train-task.js';
import type { TrainOptions, TrainProgress, TrainResult, TrainingSet } from './types.js';

export type TrainPool = WorkerPool<TrainTask, TrainTaskResult>;

/** Training result plus the serialized model, ready to be stored as is. */
export type WorkerTrainResult =
  | Extract<TrainResult, { kind: 'skipped' }>
  | (Extract<TrainResult, { kind: 'trained' }> & { modelBytes: Uint8Array });

export interface TrainInWorkerOptions {
  signal?: AbortSignal;
  onProgress?: (p: TrainProgress) => void;
  /** Reuse a pool; without it a single worker is started for this training and closed after. */
  pool?: TrainPool;
  /** Default 10 minutes: a training is long but must not hang forever. */
  timeoutMs?: number;
}

const DEFAULT_TIMEOUT_MS = 10 * 60_000;

export function createTrainPool(opts: { taskTimeoutMs?: number; queueLimit?: number } = {}): TrainPool {
  return new WorkerPool<TrainTask, TrainTaskResult>({
    workerFile: new URL(`./train-worker-entry${import.meta.url.endsWith('.ts') ? '.ts' : '.js'}`, import.meta.url),
    size: 1,
    queueLimit: opts.queueLimit ?? 4,
    taskTimeoutMs: opts.taskTimeoutMs ?? DEFAULT_TIMEOUT_MS,
    name: 'svm-train',
  });
}

export async function trainSvmInWorker(
  set: TrainingSet,
  opts: Omit<TrainOptions, 'onProgress' | 'signal'>,
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
    const { modelBytes, ...rest } = result;
    return { ...rest, model: deserializeSvm(modelBytes), modelBytes };
  } finally {
    port1.close();
    if (!run.pool) {
      await pool.close();
    }
  }
}
