import { describe, expect, it } from 'vitest';
import { computeGram } from '../../../src/recognition/svm/gram.js';
import { kernelFromDot, kernelMatrix, scaleGamma } from '../../../src/recognition/svm/kernel.js';
import { createRng } from '../../../src/math/seeded-random.js';
import { packUnitRows } from '../../../src/recognition/svm/vectors.js';

function randomRows(n: number, dim: number, seed: number): Float32Array[] {
  const rng = createRng(seed);
  return Array.from({ length: n }, () => Float32Array.from({ length: dim }, () => rng() * 2 - 1));
}

describe('Gram matrix and kernels of unit vectors', () => {
  // 37 rows: not a multiple of the 4x4 tile, so the remainder path is covered too.
  const n = 37;
  const dim = 50;
  const raw = randomRows(n, dim, 3);
  const rows = packUnitRows(raw, dim);
  const gram = computeGram(rows, n, dim);

  it('normalises rows to unit length', () => {
    for (let i = 0; i < n; i++) {
      let s = 0;
      for (let k = 0; k < dim; k++) {
        s += (rows[i * dim + k] as number) ** 2;
      }
      expect(s).toBeCloseTo(1, 5);
    }
  });

  it('equals direct dot products, symmetric', () => {
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < n; j++) {
        let d = 0;
        for (let k = 0; k < dim; k++) {
          d += (rows[i * dim + k] as number) * (rows[j * dim + k] as number);
        }
        expect(gram.dots[i * n + j]).toBeCloseTo(d, 10);
        expect(gram.dots[i * n + j]).toBe(gram.dots[j * n + i]);
      }
    }
  });

  it('derives RBF exp(-g |x-y|^2) from the dot products without recomputing', () => {
    const gamma = 0.7;
    const K = kernelMatrix(gram, { type: 'rbf', gamma });
    for (const [i, j] of [[0, 1], [5, 30], [36, 2], [4, 4]] as const) {
      let d2 = 0;
      for (let k = 0; k < dim; k++) {
        d2 += ((rows[i * dim + k] as number) - (rows[j * dim + k] as number)) ** 2;
      }
      expect(K[i * n + j]).toBeCloseTo(Math.exp(-gamma * d2), 6);
      expect(kernelFromDot(gram.dots[i * n + j] as number, { type: 'rbf', gamma })).toBeCloseTo(Math.exp(-gamma * d2), 6);
    }
    expect(kernelMatrix(gram, { type: 'linear', gamma: 0 })).toBe(gram.dots);
  });

  it("gamma='scale' is 1 / (d * var(X)) as in scikit-learn", () => {
    const all = Array.from(rows);
    const mean = all.reduce((a, b) => a + b, 0) / all.length;
    const variance = all.reduce((a, b) => a + (b - mean) ** 2, 0) / all.length;
    expect(scaleGamma(rows, dim)).toBeCloseTo(1 / (dim * variance), 6);
  });
});
