// SVM training benchmark: 50 employees x 40 templates of 512-d synthetic face-like embeddings
// (intra-class cosine ~0.7, inter-class ~0.15), full grid search (3 C x 3 gamma x 5 folds) + refit
// + calibration, for each backend. Prints a table and writes bench/results/training.json.
// Target: <= 10 s per training on this 2-core machine. `npm run bench:training [-- --quick]`
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { createMlSvmBackend } from '../src/recognition/svm/backend-ml-svm.js';
import { stratifiedFolds } from '../src/recognition/svm/folds.js';
import { computeGram } from '../src/recognition/svm/gram.js';
import { kernelMatrix } from '../src/recognition/svm/kernel.js';
import { packUnitRows } from '../src/recognition/svm/vectors.js';
import { predictSvm } from '../src/recognition/svm/predict-svm.js';
import { serializeSvm } from '../src/recognition/svm/serialize-svm.js';
import { syntheticProbe, syntheticTrainingSet, type SyntheticOptions } from '../src/recognition/svm/synthetic-embeddings.js';
import { trainSvm } from '../src/recognition/svm/train-svm.js';
import type { SvmBackendName, TrainOptions } from '../src/recognition/svm/types.js';

const quick = process.argv.includes('--quick');
const data: SyntheticOptions = { classes: 50, perClass: 40, dim: 512, intraCos: 0.7, interCos: 0.15, seed: 11 };
const set = syntheticTrainingSet(data);
const cpuMs = (): number => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};

interface Row {
  backend: SvmBackendName;
  grid: string;
  wallMs: number;
  cpuMs: number;
  phaseMs: Record<string, number>;
  cvAccuracy: number;
  best: { C: number; gamma: number };
  svCount: number;
  modelBytes: number;
  heldOutAccuracy: number;
  predictMsMean: number;
  predictMsP95: number;
  /** CPU time per prediction: wall times above include waiting for a core on a loaded machine. */
  predictCpuMsMean: number;
}

async function run(backend: SvmBackendName, grid: Partial<TrainOptions>): Promise<Row> {
  const opts: TrainOptions = { kernel: 'rbf', C: 1, gamma: 'scale', backend, seed: 1, ...grid };
  const c0 = cpuMs();
  const t0 = performance.now();
  const r = await trainSvm(set, opts);
  const wallMs = performance.now() - t0;
  const used = cpuMs() - c0;
  if (r.kind !== 'trained') {
    throw new Error('not trained');
  }
  // Held-out probes: fresh samples of every class (generated first: only predictSvm is timed).
  const probes = Array.from({ length: data.classes * 4 }, (_, i) => ({
    employeeId: Math.floor(i / 4) + 1,
    x: syntheticProbe(data, Math.floor(i / 4), 1000 + i),
  }));
  // JIT warm-up of the prediction path, not timed.
  for (const probe of probes.slice(0, 50)) {
    predictSvm(r.model, probe.x);
  }
  let ok = 0;
  const times: number[] = [];
  const predictCpu0 = cpuMs();
  for (const probe of probes) {
    const t = performance.now();
    const p = predictSvm(r.model, probe.x);
    times.push(performance.now() - t);
    if (p.employeeId === probe.employeeId) {
      ok++;
    }
  }
  const predictCpuMsMean = (cpuMs() - predictCpu0) / times.length;
  times.sort((a, b) => a - b);
  return {
    backend,
    grid: grid.cGrid ? `${grid.cGrid.length}x${grid.gammaGrid?.length ?? 1} (reduced)` : '3x3',
    wallMs,
    cpuMs: used,
    phaseMs: r.metrics.phaseMs,
    cvAccuracy: r.metrics.cvAccuracy,
    best: r.metrics.best,
    svCount: r.model.svCount,
    modelBytes: serializeSvm(r.model).length,
    heldOutAccuracy: ok / times.length,
    predictMsMean: times.reduce((a, b) => a + b, 0) / times.length,
    predictMsP95: times[Math.floor(times.length * 0.95)] ?? 0,
    predictCpuMsMean,
  };
}

const fmt = (ms: number): string => (ms / 1000).toFixed(2).padStart(7);
console.log(`SVM training, ${data.classes} employees x ${data.perClass} templates, ${data.dim}-d; ${cpus().length} cores, load ${loadavg()[0]?.toFixed(1)}`);
console.log('backend  grid            wall s   cpu s    gram s   grid s  refit s  calib s  cvAcc  heldOut  SVs   model KB  predict ms (wall mean/p95, cpu mean)');
const print = (r: Row): void =>
  console.log(
    `${r.backend.padEnd(8)} ${r.grid.padEnd(14)} ${fmt(r.wallMs)} ${fmt(r.cpuMs)} ${fmt(r.phaseMs.gram ?? 0)} ${fmt(r.phaseMs.grid ?? 0)} ${fmt(r.phaseMs.refit ?? 0)} ${fmt(r.phaseMs.calibrate ?? 0)}  ${r.cvAccuracy.toFixed(3)}  ${r.heldOutAccuracy.toFixed(3)}   ${String(r.svCount).padStart(4)}  ${(r.modelBytes / 1024).toFixed(0).padStart(6)}    ${r.predictMsMean.toFixed(3)} / ${r.predictMsP95.toFixed(3)}, ${r.predictCpuMsMean.toFixed(3)}`,
  );

const rows: Row[] = [];
// Warm-up (JIT) on a small set, not measured.
await trainSvm(syntheticTrainingSet({ ...data, classes: 5, perClass: 10 }), { kernel: 'rbf', C: 1, gamma: 'scale' });
for (const [backend, extra] of [
  ['smo', {}],
  ['smo', { kernel: 'linear' }],
  ...(quick ? [] : [['libsvm', {}]]),
] as [SvmBackendName, Partial<TrainOptions>][]) {
  const row = await run(backend, extra);
  if (extra.kernel === 'linear') {
    row.grid = '3 (linear)';
  }
  rows.push(row);
  print(row);
}

// ml-svm's simplified SMO (one-vs-rest, no kernel cache, O(m^2) per pass) cannot run the full grid
// in a benchmark: time one binary fit (one class vs the rest of one training fold, ~1,600 samples,
// on the same precomputed kernel) and extrapolate to 9 grid points x 5 folds x 50 classes + refit.
const packed = packUnitRows(set.vectors, data.dim ?? 512);
const gram = computeGram(packed, set.vectors.length, data.dim ?? 512);
const kernel = kernelMatrix(gram, { type: 'rbf', gamma: 1 });
const classOf = Int32Array.from(set.labels, (l) => l - 1);
const fold = stratifiedFolds(classOf, data.classes, 5, 1)[0];
const c0 = cpuMs();
const t0 = performance.now();
createMlSvmBackend().fit({
  kernel,
  n: set.vectors.length,
  classOf: Int32Array.from(classOf, (c) => (c === 0 ? 0 : 1)),
  classCount: 1,
  train: fold?.train ?? new Int32Array(0),
  C: 1,
  seed: 1,
});
const mlBinary = { wallMs: performance.now() - t0, cpuMs: cpuMs() - c0, samples: fold?.train.length ?? 0 };
const fits = 9 * 5 * data.classes + data.classes;
const mlSvm = { binaryFit: mlBinary, fitsInFullGrid: fits, extrapolatedCpuMs: mlBinary.cpuMs * fits };
console.log(
  `ml-svm   one binary fit (${mlBinary.samples} samples): wall ${fmt(mlBinary.wallMs)} s, cpu ${fmt(mlBinary.cpuMs)} s; ` +
    `full grid = ${fits} such fits ~ ${(mlSvm.extrapolatedCpuMs / 60_000).toFixed(0)} min cpu (extrapolated)`,
);
mkdirSync(new URL('./results/', import.meta.url), { recursive: true });
writeFileSync(
  new URL('./results/training.json', import.meta.url),
  `${JSON.stringify({ date: new Date().toISOString(), node: process.version, cores: cpus().length, load1: loadavg()[0], data, target: { trainingMs: 10_000 }, rows, mlSvm }, null, 2)}\n`,
);
