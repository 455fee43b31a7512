// Scores a fitted multi-class SVM on held-out samples (kernel values looked up, not computed).
// One-vs-one shortcut: a sample's own class wins the vote outright if it wins all its k-1 pairs, so
// only those k-1 machines are evaluated first (they are also all that Platt calibration needs); the
// other pairs are evaluated only for samples whose class did not win them all. 50 classes: 49 of 1,225.
import { pairIndex, type MulticlassFit } from './backend.js';

export interface FoldScores {
  /** Row-major tests x machines; NaN where not evaluated or the machine is missing. */
  dec: Float64Array;
  /** Predicted class index per test sample. */
  predicted: Int32Array;
}

export function scoreFold(fit: MulticlassFit, kernel: Float64Array, n: number, test: Int32Array, classOf: Int32Array): FoldScores {
  const m = fit.machines.length;
  const k = fit.classCount;
  const dec = new Float64Array(test.length * m).fill(Number.NaN);
  const predicted = new Int32Array(test.length);
  const evaluate = (x: number, r: number, c: number): number => {
    const machine = fit.machines[c];
    if (!machine) {
      return Number.NaN;
    }
    const row = x * n;
    const { sv, coef } = machine;
    let f = machine.bias;
    for (let t = 0; t < sv.length; t++) {
      f += (coef[t] as number) * (kernel[row + (sv[t] as number)] as number);
    }
    dec[r * m + c] = f;
    return f;
  };
  for (let r = 0; r < test.length; r++) {
    const x = test[r] as number;
    if (fit.strategy === 'ovr') {
      for (let c = 0; c < m; c++) {
        evaluate(x, r, c);
      }
      predicted[r] = votedClass(dec, r * m, fit);
      continue;
    }
    const own = classOf[x] as number;
    let wonAll = true;
    for (let other = 0; other < k; other++) {
      if (other === own) {
        continue;
      }
      const f = own < other ? evaluate(x, r, pairIndex(own, other, k)) : evaluate(x, r, pairIndex(other, own, k));
      // NaN (missing machine) is no win; a win is f > 0 for the lower class, f <= 0 for the upper one.
      const won = own < other ? f > 0 : f <= 0;
      wonAll &&= won;
    }
    if (!wonAll) {
      for (let c = 0; c < m; c++) {
        if (Number.isNaN(dec[r * m + c])) {
          evaluate(x, r, c);
        }
      }
    }
    predicted[r] = wonAll ? own : votedClass(dec, r * m, fit);
  }
  return { dec, predicted };
}

/**
 * One-vs-one: libsvm's max-wins voting (ties go to the lower class index).
 * One-vs-rest: the largest decision value.
 */
export function votedClass(dec: ArrayLike<number>, offset: number, fit: Pick<MulticlassFit, 'strategy' | 'classCount'>): number {
  const k = fit.classCount;
  if (fit.strategy === 'ovr') {
    let best = 0;
    let bestF = -Infinity;
    for (let c = 0; c < k; c++) {
      const f = dec[offset + c] as number;
      if (f > bestF) {
        bestF = f;
        best = c;
      }
    }
    return best;
  }
  const votes = new Int32Array(k);
  let p = 0;
  for (let a = 0; a < k; a++) {
    for (let b = a + 1; b < k; b++, p++) {
      const f = dec[offset + p] as number;
      if (Number.isNaN(f)) {
        continue;
      }
      const winner = f > 0 ? a : b;
      votes[winner] = (votes[winner] ?? 0) + 1;
    }
  }
  let best = 0;
  for (let c = 1; c < k; c++) {
    if ((votes[c] as number) > (votes[best] as number)) {
      best = c;
    }
  }
  return best;
}
