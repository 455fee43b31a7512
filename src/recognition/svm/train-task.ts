// The training task as it crosses the worker boundary: embeddings packed into one transferable
// Float32Array, the model returned serialized (the bytes the database stores), progress posted
// on a MessagePort handed over in the task (the pool itself has no progress channel). A second
// kind of task fits one employee's shortlist machine (a new hire: milliseconds, no retrain).
import type { MessagePort } from 'node:worker_threads';
import { serializeClassifier } from '../classifier.js';
import { fitEmployeeMachine, type MachineInput } from '../shortlist/incremental.js';
import type { EmployeeMachine, ShortlistModel } from '../shortlist/shortlist-model.js';
import { trainClassifier, type ClassifierPhase, type ClassifierTrainOptions, type ClassifierTrainResult } from '../train-classifier.js';
import type { TrainingSet } from './types.js';

export interface TrainTask {
  kind?: 'train';
  dim: number;
  /** n x dim, row-major. */
  data: Float32Array;
  labels: number[];
  qualities?: number[];
  modelId: string;
  options: ClassifierTrainOptions;
  progress?: MessagePort;
}

export interface MachineTask {
  kind: 'machine';
  model: Pick<ShortlistModel, 'C' | 'local' | 'cap'>;
  input: MachineInput;
}

export type TrainTaskResult =
  | Extract<ClassifierTrainResult, { kind: 'skipped' }>
  | (Omit<Extract<ClassifierTrainResult, { kind: 'trained' }>, 'model'> & { modelBytes: Uint8Array })
  | { kind: 'machine'; machine: EmployeeMachine };

export type ProgressMessage = { type: 'progress'; phase: ClassifierPhase; done: number; total: number };

export function packTrainingSet(set: TrainingSet): Pick<TrainTask, 'dim' | 'data' | 'labels' | 'qualities' | 'modelId'> {
  const dim = set.vectors[0]?.length ?? 0;
  const data = new Float32Array(set.vectors.length * dim);
  set.vectors.forEach((v, i) => data.set(v, i * dim));
  return { dim, data, labels: set.labels, ...(set.qualities ? { qualities: set.qualities } : {}), modelId: set.modelId };
}

const PROGRESS_INTERVAL_MS = 100;

/** Runs inside the training worker. */
export async function runTrainTask(task: TrainTask | MachineTask, signal?: AbortSignal): Promise<TrainTaskResult> {
  if (task.kind === 'machine') {
    return { kind: 'machine', machine: fitEmployeeMachine(task.model, task.input) };
  }
  const vectors = Array.from({ length: task.dim === 0 ? 0 : task.data.length / task.dim }, (_, i) =>
    task.data.subarray(i * task.dim, (i + 1) * task.dim),
  );
  let lastPost = 0;
  const onProgress = (p: { phase: ClassifierPhase; done: number; total: number }): void => {
    const now = performance.now();
    // Throttled, but the end of every phase is always reported.
    if (task.progress && (p.done === p.total || now - lastPost >= PROGRESS_INTERVAL_MS)) {
      lastPost = now;
      const msg: ProgressMessage = { type: 'progress', ...p };
      task.progress.postMessage(msg);
    }
  };
  try {
    const result = await trainClassifier(
      { vectors, labels: task.labels, ...(task.qualities ? { qualities: task.qualities } : {}), modelId: task.modelId },
      { ...task.options, onProgress, ...(signal ? { signal } : {}) },
    );
    if (result.kind === 'skipped') {
      return result;
    }
    const { model, ...rest } = result;
    return { ...rest, modelBytes: serializeClassifier(model) };
  } finally {
    task.progress?.close();
  }
}
