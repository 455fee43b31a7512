// Binary linear SVM (L2-regularised hinge loss) by dual coordinate descent with shrinking, as in
// LIBLINEAR (Hsieh, Chang, Lin, Keerthi & Sundararajan, ICML 2008). Why not the kernel SMO of
// ../svm: a linear machine is one weight vector, so training costs O(samples x dim) per pass
// with no n x n kernel matrix, and prediction is one dot product whatever the training size.
// The bias is learnt as an extra feature of constant value 1 (LIBLINEAR's -B 1).
import { dotAt } from '../../math/dot.js';
import { createRng } from '../../math/seeded-random.js';

export interface LinearProblem {
  /** Unit rows, row-major count x dim. */
  rows: Float32Array;
  dim: number;
  /** Rows used, as indices into `rows`. */
  index: Int32Array;
  /** +1 / -1 per entry of `index`. */
  y: Int8Array;
}

export interface LinearFitOptions {
  C: number;
  /** Per-class weights: upper bound of alpha is C * weight; default balanced (n / (2 n_class)). */
  balanced?: boolean;
  seed?: number;
  /** Stopping tolerance on the projected gradient spread (LIBLINEAR's default 0.1). */
  eps?: number;
  maxEpochs?: number;
}

export interface LinearMachine {
  w: Float32Array;
  bias: number;
  epochs: number;
}

export function fitLinearSvm(p: LinearProblem, opts: LinearFitOptions): LinearMachine {
  const { rows, dim, index, y } = p;
  const n = index.length;
  let pos = 0;
  for (let i = 0; i < n; i++) {
    if ((y[i] as number) > 0) {
      pos++;
    }
  }
  const neg = n - pos;
  // Balanced: each class carries half the total penalty, so 40 positives are not drowned by 200 negatives.
  const upPos = opts.balanced === false || pos === 0 ? opts.C : (opts.C * n) / (2 * pos);
  const upNeg = opts.balanced === false || neg === 0 ? opts.C : (opts.C * n) / (2 * neg);
  const eps = opts.eps ?? 0.1;
  const maxEpochs = opts.maxEpochs ?? 1000;
  const w = new Float64Array(dim);
  let b = 0;
  const alpha = new Float64Array(n);
  const qii = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const o = (index[i] as number) * dim;
    let s = 1; // the bias feature
    for (let j = 0; j < dim; j++) {
      s += (rows[o + j] as number) ** 2;
    }
    qii[i] = s;
  }
  const order = Int32Array.from({ length: n }, (_, i) => i);
  const rng = createRng(opts.seed ?? 1);
  let active = n;
  let pgMaxOld = Infinity;
  let pgMinOld = -Infinity;
  let epoch = 0;
  for (; epoch < maxEpochs; epoch++) {
    let pgMax = -Infinity;
    let pgMin = Infinity;
    for (let s = 0; s < active; s++) {
      const r = s + Math.floor(rng() * (active - s));
      const t = order[s] as number;
      order[s] = order[r] as number;
      order[r] = t;
    }
    for (let s = 0; s < active; s++) {
      const i = order[s] as number;
      const yi = y[i] as number;
      const o = (index[i] as number) * dim;
      let d0 = 0;
      let d1 = 0;
      let j = 0;
      for (; j + 1 < dim; j += 2) {
        d0 += (w[j] as number) * (rows[o + j] as number);
        d1 += (w[j + 1] as number) * (rows[o + j + 1] as number);
      }
      for (; j < dim; j++) {
        d0 += (w[j] as number) * (rows[o + j] as number);
      }
      const g = yi * (d0 + d1 + b) - 1;
      const up = yi > 0 ? upPos : upNeg;
      const a = alpha[i] as number;
      let pg = 0;
      if (a === 0) {
        if (g > pgMaxOld) {
          // Shrink: this bound is not going to move.
          active--;
          order[s] = order[active] as number;
          order[active] = i;
          s--;
          continue;
        }
        pg = Math.min(g, 0);
      } else if (a === up) {
        if (g < pgMinOld) {
          active--;
          order[s] = order[active] as number;
          order[active] = i;
          s--;
          continue;
        }
        pg = Math.max(g, 0);
      } else {
        pg = g;
      }
      pgMax = Math.max(pgMax, pg);
      pgMin = Math.min(pgMin, pg);
      if (Math.abs(pg) > 1e-12) {
        const next = Math.min(Math.max(a - g / (qii[i] as number), 0), up);
        const delta = (next - a) * yi;
        alpha[i] = next;
        for (let k = 0; k < dim; k++) {
          w[k] = (w[k] as number) + delta * (rows[o + k] as number);
        }
        b += delta;
      }
    }
    if (pgMax - pgMin <= eps) {
      if (active === n) {
        break;
      }
      // Converged on the shrunk set: check everything once more before stopping.
      active = n;
      pgMaxOld = Infinity;
      pgMinOld = -Infinity;
      continue;
    }
    pgMaxOld = pgMax <= 0 ? Infinity : pgMax;
    pgMinOld = pgMin >= 0 ? -Infinity : pgMin;
  }
  return { w: Float32Array.from(w), bias: b, epochs: epoch };
}

/** w . x + bias for a unit row of `rows`. */
export function linearDecision(m: Pick<LinearMachine, 'w' | 'bias'>, rows: Float32Array, row: number, dim: number): number {
  return dotAt(m.w, 0, rows, row * dim, dim) + m.bias;
}
