// Binary C-SVC dual solver (SMO with libsvm's second-order working-set selection, Fan, Chen & Lin 2005)
// on a precomputed kernel matrix: a fit only looks kernel values up, it never computes them.
// Each iteration reads the two kernel rows it needs straight from the shared matrix (no per-problem
// copy of the sub-kernel: for ~60 iterations on ~64 samples that copy was the dominant cost).

export interface BinaryProblem {
  /** Global n x n kernel matrix (row-major). */
  kernel: Float64Array;
  n: number;
  /** Global indices of this problem's samples. */
  idx: Int32Array;
  /** +1 / -1 per sample of `idx`. */
  y: Int8Array;
  C: number;
}

/** f(x) = sum_t coef[t] * K(x, sv[t]) + bias, with only the support vectors (alpha > 0) kept. */
export interface BinarySolution {
  sv: Int32Array;
  coef: Float64Array;
  bias: number;
  iterations: number;
}

const TAU = 1e-12;
const EPS = 1e-3;

/** Reusable buffers: a grid search solves tens of thousands of small problems. */
export class SmoSolver {
  private alpha = new Float64Array(0);
  private G = new Float64Array(0);
  private Qi = new Float64Array(0);
  private QD = new Float64Array(0);

  solve(p: BinaryProblem): BinarySolution {
    const { kernel, n, idx, y, C } = p;
    const m = idx.length;
    if (this.alpha.length < m) {
      this.alpha = new Float64Array(m);
      this.G = new Float64Array(m);
      this.Qi = new Float64Array(m);
      this.QD = new Float64Array(m);
    }
    const { alpha, G, Qi, QD } = this;
    for (let t = 0; t < m; t++) {
      alpha[t] = 0;
      G[t] = -1;
      const g = idx[t] as number;
      QD[t] = kernel[g * n + g] as number;
    }
    const maxIter = Math.max(10_000_000, 100 * m);
    // Two passes per iteration: (kernel row of i + choice of j), then (gradient update + choice of the next i).
    let [i, gmax] = selectI(alpha, G, y, C, m);
    let iter = 0;
    for (; iter < maxIter && i >= 0; iter++) {
      const yi = y[i] as number;
      const rowI = (idx[i] as number) * n;
      const qii = QD[i] as number;
      let gmax2 = -Infinity;
      let j = -1;
      let objMin = Infinity;
      for (let t = 0; t < m; t++) {
        const yt = y[t] as number;
        const qit = yi * yt * (kernel[rowI + (idx[t] as number)] as number);
        Qi[t] = qit;
        const a = alpha[t] as number;
        // Candidates for j: can move "down" (y=+1, alpha>0) or "up" for y=-1 (alpha<C).
        if (yt === 1 ? a > 0 : a < C) {
          const gt = yt * (G[t] as number);
          if (gt >= gmax2) {
            gmax2 = gt;
          }
          const diff = gmax + gt;
          if (diff > 0) {
            // |phi(x_i) - phi(x_t)|^2 = K_ii + K_tt - 2 K_it, and y_i y_t Q_it = K_it.
            const quad = qii + (QD[t] as number) - 2 * yi * yt * qit;
            const obj = -(diff * diff) / (quad > 0 ? quad : TAU);
            if (obj <= objMin) {
              objMin = obj;
              j = t;
            }
          }
        }
      }
      if (gmax + gmax2 < EPS || j < 0) {
        break;
      }
      const yj = y[j] as number;
      const rowJ = (idx[j] as number) * n;
      const [dai, daj] = updatePair(alpha, G, Qi, QD, y, C, i, j);
      const dj = yj * daj;
      let nextGmax = -Infinity;
      let nextI = -1;
      for (let t = 0; t < m; t++) {
        const yt = y[t] as number;
        const g = (G[t] as number) + (Qi[t] as number) * dai + yt * dj * (kernel[rowJ + (idx[t] as number)] as number);
        G[t] = g;
        const a = alpha[t] as number;
        if (yt === 1) {
          if (a < C && -g >= nextGmax) {
            nextGmax = -g;
            nextI = t;
          }
        } else if (a > 0 && g >= nextGmax) {
          nextGmax = g;
          nextI = t;
        }
      }
      i = nextI;
      gmax = nextGmax;
    }
    return extract(idx, y, alpha, G, C, m, iter);
  }
}

/** The maximal violator of the KKT conditions among the variables that can move "up". */
function selectI(alpha: Float64Array, G: Float64Array, y: Int8Array, C: number, m: number): [number, number] {
  let gmax = -Infinity;
  let i = -1;
  for (let t = 0; t < m; t++) {
    const a = alpha[t] as number;
    const gt = G[t] as number;
    if (y[t] === 1) {
      if (a < C && -gt >= gmax) {
        gmax = -gt;
        i = t;
      }
    } else if (a > 0 && gt >= gmax) {
      gmax = gt;
      i = t;
    }
  }
  return [i, gmax];
}

export function solveBinary(p: BinaryProblem): BinarySolution {
  return new SmoSolver().solve(p);
}

/** Analytic two-variable update with clipping to the box [0, C] (libsvm's Solver::Solve); returns the alpha steps. */
function updatePair(alpha: Float64Array, G: Float64Array, Qi: Float64Array, QD: Float64Array, y: Int8Array, C: number, i: number, j: number): [number, number] {
  const oldAi = alpha[i] as number;
  const oldAj = alpha[j] as number;
  const qij = Qi[j] as number;
  const qii = QD[i] as number;
  const qjj = QD[j] as number;
  const gi = G[i] as number;
  const gj = G[j] as number;
  let ai = oldAi;
  let aj = oldAj;
  if (y[i] !== y[j]) {
    let quad = qii + qjj + 2 * qij;
    if (quad <= 0) {
      quad = TAU;
    }
    const delta = (-gi - gj) / quad;
    const diff = ai - aj;
    ai += delta;
    aj += delta;
    if (diff > 0) {
      if (aj < 0) {
        aj = 0;
        ai = diff;
      }
    } else if (ai < 0) {
      ai = 0;
      aj = -diff;
    }
    if (diff > 0) {
      if (ai > C) {
        ai = C;
        aj = C - diff;
      }
    } else if (aj > C) {
      aj = C;
      ai = C + diff;
    }
  } else {
    let quad = qii + qjj - 2 * qij;
    if (quad <= 0) {
      quad = TAU;
    }
    const delta = (gi - gj) / quad;
    const sum = ai + aj;
    ai -= delta;
    aj += delta;
    if (sum > C) {
      if (ai > C) {
        ai = C;
        aj = sum - C;
      }
    } else if (aj < 0) {
      aj = 0;
      ai = sum;
    }
    if (sum > C) {
      if (aj > C) {
        aj = C;
        ai = sum - C;
      }
    } else if (ai < 0) {
      ai = 0;
      aj = sum;
    }
  }
  alpha[i] = ai;
  alpha[j] = aj;
  return [ai - oldAi, aj - oldAj];
}

/** rho as libsvm computes it: mean of y G over free alphas, else the middle of the feasible interval. */
function extract(idx: Int32Array, y: Int8Array, alpha: Float64Array, G: Float64Array, C: number, m: number, iterations: number): BinarySolution {
  let ub = Infinity;
  let lb = -Infinity;
  let sumFree = 0;
  let nFree = 0;
  let count = 0;
  for (let t = 0; t < m; t++) {
    if ((alpha[t] as number) > 0) {
      count++;
    }
  }
  const sv = new Int32Array(count);
  const coef = new Float64Array(count);
  let s = 0;
  for (let t = 0; t < m; t++) {
    const a = alpha[t] as number;
    const yt = y[t] as number;
    const yG = yt * (G[t] as number);
    if (a >= C) {
      if (yt === -1) {
        ub = Math.min(ub, yG);
      } else {
        lb = Math.max(lb, yG);
      }
    } else if (a <= 0) {
      if (yt === 1) {
        ub = Math.min(ub, yG);
      } else {
        lb = Math.max(lb, yG);
      }
    } else {
      nFree++;
      sumFree += yG;
    }
    if (a > 0) {
      sv[s] = idx[t] as number;
      coef[s] = a * yt;
      s++;
    }
  }
  const rho = nFree > 0 ? sumFree / nFree : (ub + lb) / 2;
  return { sv, coef, bias: -rho, iterations };
}
