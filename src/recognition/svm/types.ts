// Public types of the SVM classifier: training input/options, the trained model, predictions.
// Plain data only (typed arrays, numbers), so everything crosses a worker boundary by structured clone.
import type { EmployeeId } from '../../domain/ids.js';

export interface TrainingSet {
  /** Face embeddings (any length > 0, all equal); they are L2-normalised before use. */
  vectors: Float32Array[];
  /** Employee id of each vector. */
  labels: number[];
  /** Optional quality per vector in [0, 1]; guides template selection when a class is capped. */
  qualities?: number[];
  /** Identifies the trained model (the caller's choice, e.g. model pack id + timestamp). */
  modelId: string;
}

export type SvmKernelType = 'rbf' | 'linear';
export type SvmBackendName = 'smo' | 'libsvm' | 'ml-svm';
export type TrainPhase = 'select' | 'gram' | 'grid' | 'refit' | 'calibrate';

export interface TrainProgress {
  phase: TrainPhase;
  done: number;
  total: number;
}

export interface TrainOptions {
  kernel: SvmKernelType;
  /** Seed of the C grid: {C/10, C, C*10}. */
  C: number;
  /** Seed of the gamma grid: {g/4, g, g*4}; 'scale' = 1 / (d * var(X)) as in scikit-learn. Ignored for linear. */
  gamma: number | 'scale';
  /** Cross-validation folds; default min(5, smallest class size), at least 2. */
  folds?: number;
  /** Cap of templates per employee (SVM_MAX_TEMPLATES_PER_EMPLOYEE); default 40. */
  maxPerClass?: number;
  /** Seed of every random choice (folds, ml-svm's SMO); same seed + same data = same model. */
  seed?: number;
  /** Solver: 'smo' (own one-vs-one SMO on the precomputed kernel, default), 'libsvm' (libsvm-js, wasm), 'ml-svm'. */
  backend?: SvmBackendName;
  /** Explicit grids instead of the seeded ones. */
  cGrid?: number[];
  gammaGrid?: number[];
  onProgress?: (p: TrainProgress) => void;
  /** Checked between grid steps (training yields to the event loop there, so a worker sees 'cancel'). */
  signal?: AbortSignal;
}

export type SvmStrategy = 'ovo' | 'ovr';

/**
 * One binary decision function f(x) = sum_i coef[i] * K(x, sv[svIndex[i]]) + bias,
 * calibrated by Platt: P(positive | f) = 1 / (1 + exp(plattA * f + plattB)).
 * One-vs-one: machines for pairs (a, b), a < b in `classes` order, positive = class a.
 * One-vs-rest: machine c, positive = class c.
 */
export interface SvmMachine {
  svIndex: Uint32Array;
  coef: Float32Array;
  bias: number;
  plattA: number;
  plattB: number;
}

export interface SvmModel {
  modelId: string;
  kernel: SvmKernelType;
  /** RBF gamma of K(x, y) = exp(-gamma * |x - y|^2); 0 for linear. */
  gamma: number;
  C: number;
  strategy: SvmStrategy;
  dim: number;
  classes: EmployeeId[];
  /** Support vectors, unit length, row-major svCount x dim. */
  supportVectors: Float32Array;
  svCount: number;
  machines: SvmMachine[];
}

export interface GridPoint {
  C: number;
  gamma: number;
  accuracy: number;
  macroF1: number;
}

export interface SvmMetrics {
  cvAccuracy: number;
  cvMacroF1: number;
  folds: number;
  grid: GridPoint[];
  best: { C: number; gamma: number };
  backend: SvmBackendName;
  /** Wall time of each phase, ms. */
  phaseMs: Record<TrainPhase, number>;
}

export type TrainResult =
  | {
      kind: 'trained';
      model: SvmModel;
      metrics: SvmMetrics;
      /** Templates used after the per-employee cap. */
      templateCount: number;
      classCount: number;
      trainingMs: number;
    }
  | SkippedTraining;

/** The answer of a training with fewer than two employees: there is nothing to tell apart. */
export interface SkippedTraining {
  kind: 'skipped';
  reason: 'fewer_than_two_employees';
  classCount: number;
  templateCount: number;
}

export type TrainedSvm = Extract<TrainResult, { kind: 'trained' }>;

export interface SvmRanking {
  employeeId: EmployeeId;
  probability: number;
}

export interface SvmPrediction {
  employeeId: EmployeeId;
  probability: number;
  /** Every class, most probable first. */
  ranking: SvmRanking[];
}
