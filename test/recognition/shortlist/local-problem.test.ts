import { describe, expect, it } from 'vitest';
import { createRng } from '../../../src/math/seeded-random.js';
import { fitLinearSvm, linearDecision } from '../../../src/recognition/shortlist/linear-svm.js';
import { classCentroids, localProblem, nearestClasses } from '../../../src/recognition/shortlist/local-problem.js';
import { syntheticTrainingSet } from '../../../src/recognition/svm/synthetic-embeddings.js';
import { dotRows, packUnitRows } from '../../../src/recognition/svm/vectors.js';

const dim = 32;
const set = syntheticTrainingSet({ classes: 70, perClass: 6, dim, intraCos: 0.7, interCos: 0.2, seed: 3 });
const rows = packUnitRows(set.vectors, dim);
const members = Array.from({ length: 70 }, (_, c) => Int32Array.from({ length: 6 }, (_, i) => c * 6 + i));
const data = { rows, dim, members };
const centroids = classCentroids(data);

describe('nearestClasses', () => {
  it('matches a brute-force ranking of centroid cosines (tiles of 64 crossed)', () => {
    const m = 5;
    const near = nearestClasses(centroids, 70, dim, m);
    for (const c of [0, 1, 63, 64, 69]) {
      const want = Array.from({ length: 70 }, (_, o) => o)
        .filter((o) => o !== c)
        .sort((a, b) => dotRows(centroids, b, centroids, c, dim) - dotRows(centroids, a, centroids, c, dim))
        .slice(0, m);
      expect([...near.subarray(c * m, (c + 1) * m)]).toEqual(want);
    }
  });

  it('pads with -1 when there are fewer classes than neighbours', () => {
    expect([...nearestClasses(centroids.subarray(0, 3 * dim), 3, dim, 4).subarray(0, 4)]).toEqual([expect.any(Number), expect.any(Number), -1, -1]);
  });
});

describe('localProblem + fitLinearSvm', () => {
  it('builds own templates (+1) against hard and random negatives (-1), never the employee itself', () => {
    const nb = [5, 9, 12];
    const p = localProblem(data, centroids, 2, nb, { neighbours: 3, hardPerNeighbour: 4, randomNegatives: 10 }, createRng(1));
    expect([...p.y].filter((y) => y > 0)).toHaveLength(6);
    expect(p.index.length).toBe(6 + 3 * 4 + 10);
    const classOf = (r: number): number => Math.floor(r / 6);
    expect([...p.index].slice(0, 6).every((r) => classOf(r) === 2)).toBe(true);
    expect([...p.index].slice(6).every((r) => classOf(r) !== 2)).toBe(true);
    expect([...p.index].slice(6, 18).every((r) => nb.includes(classOf(r)))).toBe(true);
  });

  it('separates a class from its look-alikes, positive side for its own templates', () => {
    const p = localProblem(data, centroids, 7, nearestClasses(centroids, 70, dim, 8).subarray(7 * 8, 8 * 8), { neighbours: 8, hardPerNeighbour: 6, randomNegatives: 12 }, createRng(2));
    const m = fitLinearSvm(p, { C: 1 });
    p.index.forEach((r, i) => expect(Math.sign(linearDecision(m, rows, r, dim))).toBe(p.y[i]));
    expect(m.epochs).toBeLessThan(1000);
  });

  it('is deterministic for a seed and bounded by maxEpochs', () => {
    const p = localProblem(data, centroids, 1, [3, 4], { neighbours: 2, hardPerNeighbour: 6, randomNegatives: 8 }, createRng(3));
    const a = fitLinearSvm(p, { C: 10, seed: 9 });
    expect(fitLinearSvm(p, { C: 10, seed: 9 })).toEqual(a);
    expect(fitLinearSvm(p, { C: 10, seed: 9, maxEpochs: 1 }).epochs).toBe(1);
  });
});
