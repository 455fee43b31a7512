// Stratified k-fold: each class's samples are shuffled (seeded) and dealt round-robin to the folds,
// so every fold holds about 1/k of every class.
import { createRng, shuffle } from '../../math/seeded-random.js';

export interface Fold {
  train: Int32Array;
  test: Int32Array;
}

/** k = requested, else min(5, smallest class size); at least 2 and at most n. */
export function foldCount(classSizes: readonly number[], requested?: number): number {
  const smallest = Math.min(...classSizes);
  const k = requested ?? Math.min(5, smallest);
  return Math.max(2, Math.min(k, classSizes.reduce((a, b) => a + b, 0)));
}

/** `classOf[i]` = class index of sample i. */
export function stratifiedFolds(classOf: Int32Array, classCount: number, k: number, seed: number): Fold[] {
  const rng = createRng(seed);
  const foldOf = new Int32Array(classOf.length);
  let offset = 0;
  for (let c = 0; c < classCount; c++) {
    const members: number[] = [];
    classOf.forEach((cls, i) => {
      if (cls === c) {
        members.push(i);
      }
    });
    shuffle(members, rng);
    // Rotating the start keeps the folds balanced in size when classes are small.
    members.forEach((i, r) => {
      foldOf[i] = (r + offset) % k;
    });
    offset = (offset + members.length) % k;
  }
  const folds: Fold[] = [];
  for (let f = 0; f < k; f++) {
    const train: number[] = [];
    const test: number[] = [];
    foldOf.forEach((fold, i) => (fold === f ? test : train).push(i));
    folds.push({ train: Int32Array.from(train), test: Int32Array.from(test) });
  }
  return folds;
}
