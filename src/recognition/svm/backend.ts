// What every solver backend provides: a multi-class fit on a subset of samples, from a precomputed kernel.
import type { SvmBackendName, SvmStrategy } from './types.js';

/** f(x) = sum_t coef[t] * K(x, sample sv[t]) + bias; sv holds global sample indices. */
export interface FittedMachine {
  sv: Int32Array;
  coef: Float64Array;
  bias: number;
}

/**
 * One-vs-one: machines in pair order (0,1), (0,2) ... (k-2,k-1), positive = the lower class;
 * a pair is null when one of its classes has no training sample in this subset.
 * One-vs-rest: machine c, positive = class c (null when class c is absent or alone).
 */
export interface MulticlassFit {
  strategy: SvmStrategy;
  classCount: number;
  machines: (FittedMachine | null)[];
}

export interface FitRequest {
  /** Global n x n kernel matrix for the current gamma (row-major). */
  kernel: Float64Array;
  n: number;
  /** Class index (0..classCount-1) of every global sample. */
  classOf: Int32Array;
  classCount: number;
  /** Global indices of the samples to train on. */
  train: Int32Array;
  C: number;
  seed: number;
}

export interface SvmBackend {
  name: SvmBackendName;
  strategy: SvmStrategy;
  fit(req: FitRequest): MulticlassFit;
}

export function pairCount(k: number): number {
  return (k * (k - 1)) / 2;
}

/** Index of pair (a, b), a < b, in one-vs-one order. */
export function pairIndex(a: number, b: number, k: number): number {
  return a * k - (a * (a + 1)) / 2 + (b - a - 1);
}

/** Samples of `train` grouped by class. */
export function groupByClass(train: Int32Array, classOf: Int32Array, k: number): number[][] {
  const groups: number[][] = Array.from({ length: k }, () => []);
  for (const i of train) {
    groups[classOf[i] as number]?.push(i);
  }
  return groups;
}
