// Verification metrics over scored pairs (cosine similarity, label same/different).

export interface ScoredPair {
  score: number;
  same: boolean;
}

export interface EvalMetrics {
  pairs: number;
  positives: number;
  negatives: number;
  auc: number;
  bestThreshold: number;
  bestAccuracy: number;
  threshold: number;
  accuracyAtThreshold: number;
  /** True accept rate at a false accept rate of at most 1% / 0.1%, with the thresholds used. */
  tarAtFar1: { tar: number; threshold: number };
  tarAtFar01: { tar: number; threshold: number };
  minPositive: number;
  maxNegative: number;
}

/** Area under the ROC curve = P(score of a same pair > score of a different pair), ties count half. */
export function auc(pairs: readonly ScoredPair[]): number {
  const pos = pairs.filter((p) => p.same).map((p) => p.score);
  const neg = pairs.filter((p) => !p.same).map((p) => p.score);
  if (pos.length === 0 || neg.length === 0) {return Number.NaN;}
  // Rank-sum (Mann-Whitney U) with average ranks for ties: O(n log n).
  const all = [...pos.map((s) => ({ s, p: true })), ...neg.map((s) => ({ s, p: false }))].sort((x, y) => x.s - y.s);
  let rankSumPos = 0;
  for (let i = 0; i < all.length; ) {
    let j = i;
    while (j < all.length && all[j]!.s === all[i]!.s) {j++;}
    const avgRank = (i + 1 + j) / 2;
    for (let k = i; k < j; k++) {if (all[k]!.p) {rankSumPos += avgRank;}}
    i = j;
  }
  return (rankSumPos - (pos.length * (pos.length + 1)) / 2) / (pos.length * neg.length);
}

/** Fraction classified right when "same" means score >= threshold. */
export function accuracyAt(pairs: readonly ScoredPair[], threshold: number): number {
  if (pairs.length === 0) {return Number.NaN;}
  return pairs.filter((p) => (p.score >= threshold) === p.same).length / pairs.length;
}

/** The threshold (midpoint between neighbouring scores) with the highest accuracy. */
export function bestThreshold(pairs: readonly ScoredPair[]): { threshold: number; accuracy: number } {
  const scores = [...new Set(pairs.map((p) => p.score))].sort((a, b) => a - b);
  const candidates = [scores[0]! - 1e-6, ...scores.slice(1).map((s, i) => (s + scores[i]!) / 2), scores.at(-1)! + 1e-6];
  let best = { threshold: candidates[0]!, accuracy: -1 };
  for (const t of candidates) {
    const a = accuracyAt(pairs, t);
    if (a > best.accuracy) {best = { threshold: t, accuracy: a };}
  }
  return best;
}

/**
 * TAR at the lowest threshold whose false accept rate is <= far: at most
 * floor(far * negatives) different pairs may score above it.
 */
export function tarAtFar(pairs: readonly ScoredPair[], far: number): { tar: number; threshold: number } {
  const neg = pairs.filter((p) => !p.same).map((p) => p.score).sort((a, b) => b - a);
  const pos = pairs.filter((p) => p.same).map((p) => p.score);
  if (neg.length === 0 || pos.length === 0) {return { tar: Number.NaN, threshold: Number.NaN };}
  const allowed = Math.floor(far * neg.length);
  const threshold = neg[allowed]!; // accept strictly above this score
  return { tar: pos.filter((s) => s > threshold).length / pos.length, threshold };
}

export function evaluate(pairs: readonly ScoredPair[], threshold: number): EvalMetrics {
  const best = bestThreshold(pairs);
  const pos = pairs.filter((p) => p.same).map((p) => p.score);
  const neg = pairs.filter((p) => !p.same).map((p) => p.score);
  return {
    pairs: pairs.length,
    positives: pos.length,
    negatives: neg.length,
    auc: auc(pairs),
    bestThreshold: best.threshold,
    bestAccuracy: best.accuracy,
    threshold,
    accuracyAtThreshold: accuracyAt(pairs, threshold),
    tarAtFar1: tarAtFar(pairs, 0.01),
    tarAtFar01: tarAtFar(pairs, 0.001),
    minPositive: pos.length ? Math.min(...pos) : Number.NaN,
    maxNegative: neg.length ? Math.max(...neg) : Number.NaN,
  };
}
