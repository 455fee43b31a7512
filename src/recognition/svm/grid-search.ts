// Grid search over (C, gamma) by stratified k-fold cross-validation. The kernel matrix is derived
// from the Gram matrix once per gamma and shared by every C and every fold.
import type { SvmBackend } from './backend.js';
import { scoreFold } from './fold-scores.js';
import type { Fold } from './folds.js';
import type { Gram } from './gram.js';
import { kernelMatrix } from './kernel.js';
import { accuracy, macroF1 } from './metrics.js';
import type { GridPoint, SvmKernelType } from './types.js';

export interface GridSearchInput {
  gram: Gram;
  classOf: Int32Array;
  classCount: number;
  backend: SvmBackend;
  kernel: SvmKernelType;
  cGrid: number[];
  /** Ignored (one point, gamma 0) for the linear kernel. */
  gammaGrid: number[];
  /** The seeds: among equal scores the point nearest to them wins. */
  seedC: number;
  seedGamma: number;
  folds: Fold[];
  seed: number;
  onStep?: (done: number, total: number) => void;
  /** Awaited after every fit: yields to the event loop and throws when training was cancelled. */
  checkpoint?: () => Promise<void>;
}

export interface GridSearchResult {
  grid: GridPoint[];
  best: GridPoint;
  /** Held-out decision values of the best point: n x machines, each sample scored by the fold that left it out. */
  cvDecisions: Float64Array;
  machineCount: number;
}

/** {seed/10, seed, seed*10} for C and {seed/4, seed, seed*4} for gamma. */
export function seededGrid(seed: number, factor: number): number[] {
  return [seed / factor, seed, seed * factor];
}

export async function gridSearch(input: GridSearchInput): Promise<GridSearchResult> {
  const { gram, classOf, classCount, backend, folds } = input;
  const n = gram.n;
  const gammas = input.kernel === 'linear' ? [0] : input.gammaGrid;
  const total = gammas.length * input.cGrid.length * folds.length;
  let done = 0;
  const grid: GridPoint[] = [];
  let best: { point: GridPoint; decisions: Float64Array; machines: number } | undefined;
  for (const gamma of gammas) {
    const kernel = kernelMatrix(gram, { type: input.kernel, gamma });
    for (const C of input.cGrid) {
      let decisions: Float64Array | undefined;
      let machines = 0;
      const predicted = new Int32Array(n);
      for (const fold of folds) {
        const fit = backend.fit({ kernel, n, classOf, classCount, train: fold.train, C, seed: input.seed });
        machines = fit.machines.length;
        decisions ??= new Float64Array(n * machines);
        const { dec, predicted: foldPredicted } = scoreFold(fit, kernel, n, fold.test, classOf);
        fold.test.forEach((x, r) => {
          decisions?.set(dec.subarray(r * machines, (r + 1) * machines), x * machines);
          predicted[x] = foldPredicted[r] as number;
        });
        done++;
        input.onStep?.(done, total);
        await input.checkpoint?.();
      }
      const point: GridPoint = { C, gamma, accuracy: accuracy(classOf, predicted), macroF1: macroF1(classOf, predicted, classCount) };
      grid.push(point);
      if (decisions && (best === undefined || better(point, best.point, input))) {
        best = { point, decisions, machines };
      }
    }
  }
  if (!best) {
    throw new Error('grid search: empty grid');
  }
  return { grid, best: best.point, cvDecisions: best.decisions, machineCount: best.machines };
}

/** Higher accuracy, then higher macro-F1, then closer (log scale) to the configured seeds. */
function better(a: GridPoint, b: GridPoint, seeds: { seedC: number; seedGamma: number }): boolean {
  if (a.accuracy !== b.accuracy) {
    return a.accuracy > b.accuracy;
  }
  if (a.macroF1 !== b.macroF1) {
    return a.macroF1 > b.macroF1;
  }
  const dist = (p: GridPoint): number =>
    Math.abs(Math.log(p.C / seeds.seedC)) + (p.gamma > 0 ? Math.abs(Math.log(p.gamma / seeds.seedGamma)) : 0);
  return dist(a) < dist(b);
}
