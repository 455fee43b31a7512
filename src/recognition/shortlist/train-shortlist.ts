// trainShortlist: adaptive template cap -> centroids and nearest identities -> grid search of C by
// stratified k-fold CV on the local problems of a sample of employees -> one linear machine per
// employee at the chosen C -> one Platt sigmoid fitted on the pooled held-out decisions.
// Cost grows linearly with the number of employees (each machine sees a bounded local problem);
// only the centroid neighbour search is quadratic, and it is 5,000^2 dot products at most.
// Pure apart from yielding between steps; run it in a worker (train-in-worker.ts).
import { employeeId, type EmployeeId } from '../../domain/ids.js';
import { createRng, shuffle } from '../../math/seeded-random.js';
import { stratifiedFolds } from '../svm/folds.js';
import { fitPlatt } from '../svm/platt.js';
import { selectTemplates } from '../svm/template-select.js';
import { trainingClasses } from '../svm/training-classes.js';
import type { SkippedTraining, TrainingSet } from '../svm/types.js';
import { packUnitRows } from '../svm/vectors.js';
import { fitLinearSvm, linearDecision, type LinearProblem } from './linear-svm.js';
import { classCentroids, DEFAULT_LOCAL, localProblem, nearestClasses, type ClassRows, type LocalProblemOptions } from './local-problem.js';
import type { EmployeeMachine, ShortlistModel } from './shortlist-model.js';

export type ShortlistPhase = 'select' | 'neighbours' | 'grid' | 'fit' | 'calibrate';

export interface ShortlistTrainOptions {
  /** Seed of the C grid {C/10, C, 10C} (SVM_C). */
  C: number;
  cGrid?: number[];
  /** Configured cap of templates per employee (SVM_MAX_TEMPLATES_PER_EMPLOYEE); default 40. */
  maxPerClass?: number;
  /** Adaptive cap: at most this many templates in all (per employee >= 10); default 100,000. */
  templateBudget?: number;
  local?: Partial<LocalProblemOptions>;
  /** Employees whose local problems the grid search cross-validates; default 40. */
  gridSample?: number;
  folds?: number;
  seed?: number;
  onProgress?: (p: { phase: ShortlistPhase; done: number; total: number }) => void;
  signal?: AbortSignal;
}

export interface ShortlistGridPoint {
  C: number;
  accuracy: number;
  macroF1: number;
}

export interface ShortlistMetrics {
  strategy: 'shortlist';
  /** Held-out accuracy of the sampled machines at the chosen C (employee vs look-alikes). */
  cvAccuracy: number;
  cvMacroF1: number;
  folds: number;
  grid: ShortlistGridPoint[];
  /** gamma is 0: the machines are linear (the field keeps the multi-class SVM's shape). */
  best: { C: number; gamma: 0 };
  sampledEmployees: number;
  cap: number;
  meanEpochs: number;
  phaseMs: Record<ShortlistPhase, number>;
}

export type ShortlistTrainResult =
  | { kind: 'trained'; model: ShortlistModel; metrics: ShortlistMetrics; templateCount: number; classCount: number; trainingMs: number }
  | SkippedTraining;

export const DEFAULT_TEMPLATE_BUDGET = 100_000;
const MIN_CAP = 10;

/** Templates per employee for training: the configured cap, lowered so the total stays within budget. */
export function adaptiveCap(employees: number, maxPerClass: number, budget = DEFAULT_TEMPLATE_BUDGET): number {
  return Math.max(Math.min(MIN_CAP, maxPerClass), Math.min(maxPerClass, Math.floor(budget / Math.max(1, employees))));
}

/** A per-class random stream: a machine's problem does not depend on which others were built first. */
export const classRng = (seed: number, cls: number): (() => number) => createRng((seed * 1_000_003 + cls) >>> 0);

export async function trainShortlist(set: TrainingSet, opts: ShortlistTrainOptions): Promise<ShortlistTrainResult> {
  const started = performance.now();
  const found = trainingClasses(set);
  if (found.kind === 'skipped') {
    return found;
  }
  const classes = found.classes;
  const seed = opts.seed ?? 1;
  const local: LocalProblemOptions = { ...DEFAULT_LOCAL, ...opts.local };
  const progress = opts.onProgress ?? (() => undefined);
  const phaseMs: Record<ShortlistPhase, number> = { select: 0, neighbours: 0, grid: 0, fit: 0, calibrate: 0 };
  let mark = performance.now();
  const lap = (phase: ShortlistPhase): void => {
    const now = performance.now();
    phaseMs[phase] += now - mark;
    mark = now;
  };
  const checkpoint = async (): Promise<void> => {
    // Lets a worker's port deliver 'cancel' (and, on the main thread, anything else) between steps.
    await new Promise<void>((resolve) => setImmediate(resolve));
    opts.signal?.throwIfAborted();
  };

  const dim = set.vectors[0]?.length ?? 0;
  const cap = adaptiveCap(classes.length, opts.maxPerClass ?? 40, opts.templateBudget);
  const data = capAndPack(set, classes, dim, cap);
  const keptCount = data.rows.length / Math.max(1, dim);
  progress({ phase: 'select', done: 1, total: 1 });
  lap('select');
  await checkpoint();

  const centroids = classCentroids(data);
  const m = Math.min(local.neighbours, classes.length - 1);
  const near = nearestClasses(centroids, classes.length, dim, m);
  const neighboursOf = (c: number): Int32Array => near.subarray(c * m, (c + 1) * m);
  progress({ phase: 'neighbours', done: 1, total: 1 });
  lap('neighbours');
  await checkpoint();

  // Grid search on a sample of local problems: the same (C, folds) for every sampled machine.
  const sample = shuffle(
    classes.map((_, c) => c),
    createRng(seed),
  ).slice(0, Math.min(classes.length, opts.gridSample ?? 40));
  const problems = sample.map((c) => localProblem(data, centroids, c, neighboursOf(c), local, classRng(seed, c)));
  const smallest = Math.min(...problems.map((p) => positives(p)));
  const k = Math.max(2, Math.min(opts.folds ?? 5, smallest));
  const foldsOf = problems.map((p, i) => stratifiedFolds(Int32Array.from(p.y, (y) => (y > 0 ? 0 : 1)), 2, k, seed + i));
  const cGrid = opts.cGrid ?? [opts.C / 10, opts.C, opts.C * 10];
  const grid: ShortlistGridPoint[] = [];
  let best: { point: ShortlistGridPoint; dec: number[]; pos: boolean[] } | undefined;
  let epochs = 0;
  let fits = 0;
  const gridTotal = cGrid.length * problems.length;
  for (const [ci, C] of cGrid.entries()) {
    const dec: number[] = [];
    const pos: boolean[] = [];
    for (const [pi, p] of problems.entries()) {
      for (const fold of foldsOf[pi] ?? []) {
        const machine = fitLinearSvm(subProblem(p, fold.train), { C, seed });
        for (const t of fold.test) {
          dec.push(linearDecision(machine, p.rows, p.index[t] as number, dim));
          pos.push((p.y[t] as number) > 0);
        }
      }
      progress({ phase: 'grid', done: ci * problems.length + pi + 1, total: gridTotal });
    }
    const point = { C, ...binaryScores(dec, pos) };
    grid.push(point);
    if (!best || better(point, best.point, opts.C)) {
      best = { point, dec, pos };
    }
    await checkpoint();
  }
  if (!best) {
    throw new Error('shortlist grid search: empty C grid');
  }
  lap('grid');

  const C = best.point.C;
  const machines = new Map<EmployeeId, EmployeeMachine>();
  for (let c = 0; c < classes.length; c++) {
    const problem = localProblem(data, centroids, c, neighboursOf(c), local, classRng(seed, c));
    const fit = fitLinearSvm(problem, { C, seed });
    epochs += fit.epochs;
    fits++;
    const nb = [...neighboursOf(c)].filter((x) => x >= 0).map((x) => classes[x] as EmployeeId);
    machines.set(classes[c] as EmployeeId, { w: fit.w, bias: fit.bias, neighbours: nb });
    if ((c + 1) % 64 === 0 || c + 1 === classes.length) {
      progress({ phase: 'fit', done: c + 1, total: classes.length });
      await checkpoint();
    }
  }
  lap('fit');

  const platt = fitPlatt(best.dec, best.pos);
  progress({ phase: 'calibrate', done: 1, total: 1 });
  lap('calibrate');

  return {
    kind: 'trained',
    model: { kind: 'shortlist', modelId: set.modelId, dim, C, platt, local, cap, machines },
    metrics: {
      strategy: 'shortlist',
      cvAccuracy: best.point.accuracy,
      cvMacroF1: best.point.macroF1,
      folds: k,
      grid,
      best: { C, gamma: 0 },
      sampledEmployees: sample.length,
      cap,
      meanEpochs: fits === 0 ? 0 : epochs / fits,
      phaseMs,
    },
    templateCount: keptCount,
    classCount: classes.length,
    trainingMs: performance.now() - started,
  };
}

/** Unit rows of the kept templates (the adaptive cap), grouped by class; the uncapped copy is garbage on return. */
function capAndPack(set: TrainingSet, classes: readonly EmployeeId[], dim: number, cap: number): ClassRows {
  const classIndex = new Map<EmployeeId, number>(classes.map((c, i) => [c, i]));
  const allRows = packUnitRows(set.vectors, dim);
  const allClassOf = Int32Array.from(set.labels, (l) => classIndex.get(employeeId(l)) ?? -1);
  const kept = selectTemplates(allRows, dim, allClassOf, classes.length, cap, set.qualities);
  const rows = new Float32Array(kept.length * dim);
  const lists: number[][] = classes.map(() => []);
  kept.forEach((g, i) => {
    rows.set(allRows.subarray(g * dim, (g + 1) * dim), i * dim);
    lists[allClassOf[g] as number]?.push(i);
  });
  return { rows, dim, members: lists.map((l) => Int32Array.from(l)) };
}

function positives(p: LinearProblem): number {
  let n = 0;
  for (const y of p.y) {
    if (y > 0) {
      n++;
    }
  }
  return n;
}

function subProblem(p: LinearProblem, pick: Int32Array): LinearProblem {
  return { rows: p.rows, dim: p.dim, index: Int32Array.from(pick, (i) => p.index[i] as number), y: Int8Array.from(pick, (i) => p.y[i] as number) };
}

/** Accuracy and the mean F1 of both classes (an employee vs look-alikes is unbalanced: ~1 to 5). */
function binaryScores(dec: readonly number[], pos: readonly boolean[]): { accuracy: number; macroF1: number } {
  let tp = 0;
  let tn = 0;
  let fp = 0;
  let fn = 0;
  dec.forEach((d, i) => {
    const said = d > 0;
    if (pos[i]) {
      if (said) {
        tp++;
      } else {
        fn++;
      }
    } else if (said) {
      fp++;
    } else {
      tn++;
    }
  });
  const f1 = (a: number, b: number, c: number): number => (2 * a + b + c === 0 ? 1 : (2 * a) / (2 * a + b + c));
  return { accuracy: dec.length === 0 ? 0 : (tp + tn) / dec.length, macroF1: (f1(tp, fp, fn) + f1(tn, fn, fp)) / 2 };
}

/** Higher macro-F1, then accuracy, then closer (log scale) to the configured C. */
function better(a: ShortlistGridPoint, b: ShortlistGridPoint, seedC: number): boolean {
  if (a.macroF1 !== b.macroF1) {
    return a.macroF1 > b.macroF1;
  }
  if (a.accuracy !== b.accuracy) {
    return a.accuracy > b.accuracy;
  }
  return Math.abs(Math.log(a.C / seedC)) < Math.abs(Math.log(b.C / seedC));
}
