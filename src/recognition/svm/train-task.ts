// The training task as it crosses the worker boundary: embeddings packed into one transferable
// Float32Array, the model returned serialized (the bytes the database stores), progress posted
// on a MessagePort handed over in the task (the pool itself has no progress channel).
import type { MessagePort } from 'node:worker_threads';
import { serializeSvm } from './serialize-svm.js';
import { trainSvm } from './train-svm.js';
import type { TrainOptions, TrainProgress, TrainResult, TrainedSvm, TrainingSet } from './types.js';

export interface TrainTask {
  dim: number;
  /** n x dim, row-major. */
  data: Float32Array;
  labels: number[];
  qualities?: number[];
  modelId: string;
  options: Omit<TrainOptions, 'onProgress' | 'signal'>;
  progress?: MessagePort;
}

export type TrainTaskResult =
  | Extract<TrainResult, { kind: 'skipped' }>
  | (Omit<TrainedSvm, 'model'> & { modelBytes: Uint8Array });

export type ProgressMessage = { type: 'progress' } & TrainProgress;

export function packTrainingSet(set: TrainingSet): Pick<TrainTask, 'dim' | 'data' | 'labels' | 'qualities' | 'modelId'> {
  const dim = set.vectors[0]?.length ?? 0;
  const data = new Float32Array(set.vectors.length * dim);
  set.vectors.forEach((v, i) => data.set(v, i * dim));
  return { dim, data, labels: set.labels, ...(set.qualities ? { qualities: set.qualities } : {}), modelId: set.modelId };
}

const PROGRESS_INTERVAL_MS = 100;

/** Runs inside the training worker. */
export async function runTrainTask(task: TrainTask, signal?: AbortSignal): Promise<TrainTaskResult> {
  const vectors = Array.from({ length: task.dim === 0 ? 0 : task.data.length / task.dim }, (_, i) =>
    task.data.subarray(i * task.dim, (i + 1) * task.dim),
  );
  let lastPost = 0;
  const onProgress = (p: TrainProgress): void => {
    const now = performance.now();
    // Throttled, but the end of every phase is always reported.
    if (task.progress && (p.done === p.total || now - lastPost >= PROGRESS_INTERVAL_MS)) {
      lastPost = now;
      const msg: ProgressMessage = { type: 'progress', ...p };
      task.progress.postMessage(msg);
    }
  };
  try {
    const result = await trainSvm(
      { vectors, labels: task.labels, ...(task.qualities ? { qualities: task.qualities } : {}), modelId: task.modelId },
      { ...task.options, onProgress, ...(signal ? { signal } : {}) },
    );
    if (result.kind === 'skipped') {
      return result;
    }
    const { model, ...rest } = result;
    return { ...rest, modelBytes: serializeSvm(model) };
  } finally {
    task.progress?.close();
  }
}
