// Cross-validation scores: accuracy, and macro-F1 (every employee counts the same, however many templates).

export function accuracy(truth: Int32Array, predicted: Int32Array): number {
  let ok = 0;
  truth.forEach((t, i) => {
    if (predicted[i] === t) {
      ok++;
    }
  });
  return truth.length === 0 ? 0 : ok / truth.length;
}

export function macroF1(truth: Int32Array, predicted: Int32Array, k: number): number {
  const tp = new Int32Array(k);
  const fp = new Int32Array(k);
  const fn = new Int32Array(k);
  truth.forEach((t, i) => {
    const p = predicted[i] as number;
    if (p === t) {
      tp[t] = (tp[t] ?? 0) + 1;
    } else {
      fp[p] = (fp[p] ?? 0) + 1;
      fn[t] = (fn[t] ?? 0) + 1;
    }
  });
  let sum = 0;
  let counted = 0;
  for (let c = 0; c < k; c++) {
    const denom = 2 * (tp[c] as number) + (fp[c] as number) + (fn[c] as number);
    if (denom > 0) {
      sum += (2 * (tp[c] as number)) / denom;
      counted++;
    }
  }
  return counted === 0 ? 0 : sum / counted;
}
