// The least-squares homography: exact on points a homography moved, a
// residual for anything else, and a clear "no" for degenerate input.
import { describe, expect, it } from 'vitest';
import { applyHomography, fitHomography, rms, solveLinear, transferErrors } from '../../src/liveness/homography.js';

const GRID = Float64Array.from({ length: 2 * 25 }, (_, k) => {
  const i = k >> 1;
  return k % 2 === 0 ? 100 + 40 * (i % 5) : 80 + 35 * Math.floor(i / 5);
});
const ALL = Array.from({ length: 25 }, (_, i) => i);

describe('fitHomography', () => {
  it('recovers a known perspective map exactly', () => {
    const h = Float64Array.from([1.1, 0.05, 12, -0.03, 0.95, -7, 0.0004, -0.0002, 1]);
    const moved = new Float64Array(GRID.length);
    for (const i of ALL) {
      [moved[2 * i], moved[2 * i + 1]] = applyHomography(h, GRID[2 * i]!, GRID[2 * i + 1]!);
    }
    const fit = fitHomography(GRID, moved)!;
    fit.forEach((v, k) => expect(v).toBeCloseTo(h[k]!, 6));
    expect(rms(transferErrors(fit, GRID, moved, ALL))).toBeLessThan(1e-6);
  });

  it('leaves a residual when one point moves off the map', () => {
    const moved = new Float64Array(GRID);
    moved[2 * 12]! += 10; // the centre point
    const fit = fitHomography(GRID, moved)!;
    const errors = transferErrors(fit, GRID, moved, ALL);
    expect(Math.max(...errors)).toBeGreaterThan(5);
    expect(errors.indexOf(Math.max(...errors))).toBe(12);
  });

  it('refuses fewer than four points, mismatched sets and collinear points', () => {
    expect(fitHomography(GRID, GRID, [0, 1, 2])).toBeUndefined();
    expect(fitHomography(GRID, GRID.subarray(0, 10))).toBeUndefined();
    const line = Float64Array.from({ length: 20 }, (_, k) => (k % 2 === 0 ? k : 2 * k));
    expect(fitHomography(line, line)).toBeUndefined();
  });
});

describe('solveLinear', () => {
  it('solves with pivoting and reports singular systems', () => {
    expect(solveLinear([[0, 1], [1, 0]], [2, 3])).toEqual([3, 2]);
    expect(solveLinear([[1, 2], [2, 4]], [1, 2])).toBeUndefined();
  });
});
