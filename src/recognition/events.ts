// Payload of the `trainingProgress` topic: the training service reports each
// phase of an SVM training (started, grid search progress, finished, failed).
// JSON-safe (ISO strings), as the Redis event target requires.
import type { TrainPhase } from './svm/types.js';

export interface TrainingProgressEvent {
  status: 'started' | 'running' | 'finished' | 'failed';
  phase: TrainPhase | null;
  done: number;
  total: number;
  message: string | null;
  /** ISO-8601. */
  at: string;
}
