// Kernels as functions of the dot product of unit vectors: RBF exp(-g|x-y|^2) = exp(-2g(1 - x.y)).
import type { Gram } from './gram.js';
import type { SvmKernelType } from './types.js';

export interface KernelSpec {
  type: SvmKernelType;
  gamma: number;
}

export function kernelFromDot(dot: number, spec: KernelSpec): number {
  return spec.type === 'linear' ? dot : Math.exp(-2 * spec.gamma * (1 - dot));
}

/** The full n x n kernel matrix for one grid gamma, derived from the Gram matrix (n^2 exps, no dot products). */
export function kernelMatrix(gram: Gram, spec: KernelSpec): Float64Array {
  if (spec.type === 'linear') {
    return gram.dots;
  }
  const { dots } = gram;
  const out = new Float64Array(dots.length);
  const g2 = -2 * spec.gamma;
  for (let k = 0; k < dots.length; k++) {
    out[k] = Math.exp(g2 * (1 - (dots[k] as number)));
  }
  return out;
}

/** scikit-learn's gamma='scale': 1 / (n_features * X.var()), the variance taken over every element. */
export function scaleGamma(rows: Float32Array, dim: number): number {
  let sum = 0;
  let sumSq = 0;
  for (let k = 0; k < rows.length; k++) {
    const v = rows[k] as number;
    sum += v;
    sumSq += v * v;
  }
  const mean = sum / rows.length;
  const variance = sumSq / rows.length - mean * mean;
  // Unit vectors in d dimensions have var ~ 1/d, so this is ~1: a sensible default either way.
  return variance > 0 ? 1 / (dim * variance) : 1;
}
