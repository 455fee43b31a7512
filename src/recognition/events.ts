// Payloads of the recognition topics. `trainingProgress`: the training service
// reports each phase of a classifier training (started, grid search progress,
// finished, failed). `classifierActivated`: a trained classifier went live on
// one instance; the others load it from the database. JSON-safe (ISO
// strings), as the Redis event target requires.
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
