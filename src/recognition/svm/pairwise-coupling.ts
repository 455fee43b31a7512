// Class probabilities from one-vs-one pairwise probabilities: Wu, Lin & Weng (2004), method 2,
// the fixed-point iteration libsvm uses (multiclass_probability).

/** r[i*k + j] = P(class i | class i or j); returns p with sum 1. */
export function pairwiseCoupling(r: Float64Array, k: number): Float64Array {
  const p = new Float64Array(k).fill(1 / k);
  if (k === 2) {
    p[0] = r[1] as number;
    p[1] = 1 - (r[1] as number);
    return p;
  }
  const Q = new Float64Array(k * k);
  for (let t = 0; t < k; t++) {
    let diag = 0;
    for (let j = 0; j < k; j++) {
      if (j !== t) {
        const rjt = r[j * k + t] as number;
        diag += rjt * rjt;
        Q[t * k + j] = -rjt * (r[t * k + j] as number);
      }
    }
    Q[t * k + t] = diag;
  }
  const Qp = new Float64Array(k);
  const maxIter = Math.max(100, k);
  const eps = 0.005 / k;
  for (let iter = 0; iter < maxIter; iter++) {
    let pQp = 0;
    for (let t = 0; t < k; t++) {
      let s = 0;
      for (let j = 0; j < k; j++) {
        s += (Q[t * k + j] as number) * (p[j] as number);
      }
      Qp[t] = s;
      pQp += (p[t] as number) * s;
    }
    let maxError = 0;
    for (let t = 0; t < k; t++) {
      maxError = Math.max(maxError, Math.abs((Qp[t] as number) - pQp));
    }
    if (maxError < eps) {
      break;
    }
    for (let t = 0; t < k; t++) {
      const qtt = Q[t * k + t] as number;
      const diff = (-(Qp[t] as number) + pQp) / qtt;
      p[t] = (p[t] as number) + diff;
      pQp = (pQp + diff * (diff * qtt + 2 * (Qp[t] as number))) / (1 + diff) / (1 + diff);
      for (let j = 0; j < k; j++) {
        Qp[j] = ((Qp[j] as number) + diff * (Q[t * k + j] as number)) / (1 + diff);
        p[j] = (p[j] as number) / (1 + diff);
      }
    }
  }
  return p;
}
