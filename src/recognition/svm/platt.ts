// Platt scaling: P(positive | f) = 1 / (1 + exp(A f + B)), fitted by the Newton method with
// backtracking of Lin, Lin & Weng (2007), "A note on Platt's probabilistic outputs" (as libsvm does).

export interface PlattParams {
  A: number;
  B: number;
}

/** Used when a machine had no held-out data of both signs: a steep, centred sigmoid. */
export const DEFAULT_PLATT: PlattParams = { A: -4, B: 0 };

export function fitPlatt(dec: ArrayLike<number>, positive: ArrayLike<boolean>, count = dec.length): PlattParams {
  let prior1 = 0;
  for (let i = 0; i < count; i++) {
    if (positive[i]) {
      prior1++;
    }
  }
  const prior0 = count - prior1;
  if (prior1 === 0 || prior0 === 0) {
    return DEFAULT_PLATT;
  }
  // Regularised targets (Platt's), avoid overfitting a perfectly separated fold.
  const hi = (prior1 + 1) / (prior1 + 2);
  const lo = 1 / (prior0 + 2);
  const t = new Float64Array(count);
  for (let i = 0; i < count; i++) {
    t[i] = positive[i] ? hi : lo;
  }
  const objective = (A: number, B: number): number => {
    let f = 0;
    for (let i = 0; i < count; i++) {
      const z = (dec[i] as number) * A + B;
      const ti = t[i] as number;
      f += z >= 0 ? ti * z + Math.log1p(Math.exp(-z)) : (ti - 1) * z + Math.log1p(Math.exp(z));
    }
    return f;
  };
  let A = 0;
  let B = Math.log((prior0 + 1) / (prior1 + 1));
  let fval = objective(A, B);
  for (let iter = 0; iter < 100; iter++) {
    let h11 = 1e-12;
    let h22 = 1e-12;
    let h21 = 0;
    let g1 = 0;
    let g2 = 0;
    for (let i = 0; i < count; i++) {
      const d = dec[i] as number;
      const z = d * A + B;
      let p: number;
      let q: number;
      if (z >= 0) {
        const e = Math.exp(-z);
        p = e / (1 + e);
        q = 1 / (1 + e);
      } else {
        const e = Math.exp(z);
        p = 1 / (1 + e);
        q = e / (1 + e);
      }
      const d2 = p * q;
      h11 += d * d * d2;
      h22 += d2;
      h21 += d * d2;
      const d1 = (t[i] as number) - p;
      g1 += d * d1;
      g2 += d1;
    }
    if (Math.abs(g1) < 1e-5 && Math.abs(g2) < 1e-5) {
      break;
    }
    const det = h11 * h22 - h21 * h21;
    const dA = -(h22 * g1 - h21 * g2) / det;
    const dB = -(-h21 * g1 + h11 * g2) / det;
    const gd = g1 * dA + g2 * dB;
    let step = 1;
    while (step >= 1e-10) {
      const nA = A + step * dA;
      const nB = B + step * dB;
      const nf = objective(nA, nB);
      if (nf < fval + 1e-4 * step * gd) {
        A = nA;
        B = nB;
        fval = nf;
        break;
      }
      step /= 2;
    }
    if (step < 1e-10) {
      break;
    }
  }
  return { A, B };
}

export function plattProbability(f: number, A: number, B: number): number {
  const z = f * A + B;
  return z >= 0 ? Math.exp(-z) / (1 + Math.exp(-z)) : 1 / (1 + Math.exp(z));
}
