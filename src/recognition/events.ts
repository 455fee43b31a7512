// Payload of the `trainingProgress` topic: the training service reports each
// phase of a classifier training (started, grid search progress, finished, failed).
// JSON-safe (ISO strings), as the Redis event target requires.
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
