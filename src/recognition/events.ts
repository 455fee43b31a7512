// Payloads of the recognition topics. `trainingProgress`: the training service
// reports each phase of a classifier training (started, grid search progress,
// finished, failed). `classifierActivated`: a trained classifier went live on
// one instance; the others load it from the database. `modelsReloadRequested`
// / `modelsReloaded`: reload-models asked of one instance reaches all, and
// each answers. JSON-safe (ISO strings), as the Redis event target requires.
import type { ClassifierPhase } from './train-classifier.js';

export interface TrainingProgressEvent {
  status: 'started' | 'running' | 'finished' | 'failed';
  phase: ClassifierPhase | null;
  done: number;
  total: number;
  message: string | null;
  /** ISO-8601. */
  at: string;
}

export interface ClassifierActivatedEvent {
  /** The model pack it was trained for. */
  modelId: string;
  /** ClassifierModel row id. */
  classifierModelId: number;
  /** ISO-8601. */
  at: string;
}

/** Someone asked for the recognition models to be reloaded from the database on every instance. */
export interface ModelsReloadRequestedEvent {
  /** Matches the answers to the request. */
  requestId: string;
  /** The instance that was asked (it reloads itself). */
  from: string;
  /** ISO-8601. */
  at: string;
}

/** One instance's answer to a reload request: its models as loaded now, or why not. */
export interface ModelsReloadedEvent {
  requestId: string;
  instanceId: string;
  ok: boolean;
  templateCount: number;
  employeeCount: number;
  method: 'svm' | 'cosine' | 'none';
  classifierModelId: number | null;
  /** What went wrong (ok false): an error name and message, never a stack. */
  error: string | null;
  /** ISO-8601. */
  at: string;
}
