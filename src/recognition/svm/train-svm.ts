// trainSvm: template cap -> Gram matrix -> grid search by stratified k-fold CV -> refit on all
// templates -> Platt calibration on the CV decision values -> self-contained SvmModel.
// Pure and synchronous apart from loading a backend; run it in a worker (train-in-worker.ts).
import { employeeId, type EmployeeId } from '../../domain/ids.js';
import { buildModel } from './build-model.js';
import { calibrateMachines } from './calibrate.js';
import { foldCount, stratifiedFolds } from './folds.js';
import { computeGram } from './gram.js';
import { gridSearch, seededGrid } from './grid-search.js';
import { kernelMatrix, scaleGamma } from './kernel.js';
import { loadBackend } from './load-backend.js';
import { selectTemplates } from './template-select.js';
import { trainingClasses } from './training-classes.js';
import type { TrainOptions, TrainPhase, TrainResult, TrainingSet } from './types.js';
import { packUnitRows } from './vectors.js';

export const DEFAULT_MAX_TEMPLATES_PER_EMPLOYEE = 40;
export const DEFAULT_SEED = 1;

export async function trainSvm(set: TrainingSet, opts: TrainOptions): Promise<TrainResult> {
  const started = performance.now();
  const found = trainingClasses(set);
  if (found.kind === 'skipped') {
    return found;
  }
  const classes = found.classes;
  const backend = await loadBackend(opts.backend ?? 'smo');
  const seed = opts.seed ?? DEFAULT_SEED;
  const phaseMs: Record<TrainPhase, number> = { select: 0, gram: 0, grid: 0, refit: 0, calibrate: 0 };
  let mark = performance.now();
  const lap = (phase: TrainPhase): void => {
    const now = performance.now();
    phaseMs[phase] += now - mark;
    mark = now;
  };
  const progress = opts.onProgress ?? (() => undefined);

  // Template cap, on normalised vectors.
  const dim = set.vectors[0]?.length ?? 0;
  const classIndex = new Map<EmployeeId, number>(classes.map((c, i) => [c, i]));
  const allRows = packUnitRows(set.vectors, dim);
  const allClassOf = Int32Array.from(set.labels, (l) => classIndex.get(employeeId(l)) ?? -1);
  const kept = selectTemplates(allRows, dim, allClassOf, classes.length, opts.maxPerClass ?? DEFAULT_MAX_TEMPLATES_PER_EMPLOYEE, set.qualities);
  const n = kept.length;
  const rows = new Float32Array(n * dim);
  kept.forEach((g, i) => rows.set(allRows.subarray(g * dim, (g + 1) * dim), i * dim));
  const classOf = Int32Array.from(kept, (g) => allClassOf[g] as number);
  progress({ phase: 'select', done: 1, total: 1 });
  lap('select');

  const gram = computeGram(rows, n, dim, (done, total) => progress({ phase: 'gram', done, total }));
  lap('gram');

  const seedGamma = opts.gamma === 'scale' ? scaleGamma(rows, dim) : opts.gamma;
  const cGrid = opts.cGrid ?? seededGrid(opts.C, 10);
  const gammaGrid = opts.gammaGrid ?? seededGrid(seedGamma, 4);
  const sizes = classes.map((_, c) => classOf.filter((x) => x === c).length);
  const folds = stratifiedFolds(classOf, classes.length, foldCount(sizes, opts.folds), seed);
  const checkpoint = async (): Promise<void> => {
    // setImmediate lets a worker's message port deliver 'cancel' before the next fit.
    await new Promise<void>((resolve) => setImmediate(resolve));
    opts.signal?.throwIfAborted();
  };
  await checkpoint();
  const search = await gridSearch({
    gram,
    classOf,
    classCount: classes.length,
    backend,
    kernel: opts.kernel,
    cGrid,
    gammaGrid,
    seedC: opts.C,
    seedGamma,
    folds,
    seed,
    onStep: (done, total) => progress({ phase: 'grid', done, total }),
    checkpoint,
  });
  lap('grid');

  const { C, gamma } = search.best;
  const kernel = kernelMatrix(gram, { type: opts.kernel, gamma });
  const all = Int32Array.from({ length: n }, (_, i) => i);
  progress({ phase: 'refit', done: 0, total: 1 });
  const fit = backend.fit({ kernel, n, classOf, classCount: classes.length, train: all, C, seed });
  progress({ phase: 'refit', done: 1, total: 1 });
  lap('refit');

  const platt = calibrateMachines(search.cvDecisions, search.machineCount, classOf, classes.length, fit.strategy, (done, total) =>
    progress({ phase: 'calibrate', done, total }),
  );
  const model = buildModel({ fit, platt, rows, dim, classes, kernel: opts.kernel, gamma, C, modelId: set.modelId });
  lap('calibrate');

  return {
    kind: 'trained',
    model,
    metrics: {
      cvAccuracy: search.best.accuracy,
      cvMacroF1: search.best.macroF1,
      folds: folds.length,
      grid: search.grid,
      best: { C, gamma },
      backend: backend.name,
      phaseMs,
    },
    templateCount: n,
    classCount: classes.length,
    trainingMs: performance.now() - started,
  };
}
