import { describe, expect, it } from 'vitest';
import { pairwiseCoupling } from '../../../src/recognition/svm/pairwise-coupling.js';
import { fitPlatt, plattProbability } from '../../../src/recognition/svm/platt.js';

describe('Platt scaling', () => {
  it('maps positive decision values to high probabilities, monotonically', () => {
    const dec = [-2, -1.5, -1.2, -0.8, -0.3, 0.2, 0.4, 0.9, 1.3, 1.8, 2.2, -0.1];
    const pos = dec.map((d, i) => (i === 11 ? true : d > 0));
    const { A, B } = fitPlatt(dec, pos);
    expect(A).toBeLessThan(0);
    const probs = [-2, -1, 0, 1, 2].map((f) => plattProbability(f, A, B));
    for (let i = 1; i < probs.length; i++) {
      expect(probs[i]).toBeGreaterThan(probs[i - 1] as number);
    }
    for (const p of probs) {
      expect(p).toBeGreaterThan(0);
      expect(p).toBeLessThan(1);
    }
    expect(plattProbability(2, A, B)).toBeGreaterThan(0.9);
    expect(plattProbability(-2, A, B)).toBeLessThan(0.1);
  });

  it('stays finite for extreme decision values', () => {
    expect(plattProbability(1e6, -3, 0)).toBe(1);
    expect(plattProbability(-1e6, -3, 0)).toBe(0);
  });
});

describe('pairwise coupling', () => {
  it('gives uniform probabilities when every pair is a coin toss', () => {
    const k = 4;
    const p = pairwiseCoupling(new Float64Array(k * k).fill(0.5), k);
    for (const v of p) {
      expect(v).toBeCloseTo(0.25, 3);
    }
  });

  it('recovers the class probabilities that consistent pairwise ones come from', () => {
    const truth = [0.6, 0.3, 0.1];
    const k = truth.length;
    const r = new Float64Array(k * k);
    for (let i = 0; i < k; i++) {
      for (let j = 0; j < k; j++) {
        if (i !== j) {
          r[i * k + j] = (truth[i] as number) / ((truth[i] as number) + (truth[j] as number));
        }
      }
    }
    const p = pairwiseCoupling(r, k);
    expect(p.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 6);
    // libsvm stops the fixed-point iteration at 0.005 / k.
    truth.forEach((t, i) => expect(p[i]).toBeCloseTo(t, 2));
  });

  it('is exact for two classes', () => {
    const r = Float64Array.from([0, 0.7, 0.3, 0]);
    expect(Array.from(pairwiseCoupling(r, 2))).toEqual([0.7, 0.30000000000000004]);
  });
});
