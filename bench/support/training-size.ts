// One size of the training benchmark (bench/training.bench.ts runs it in a child process):
// synthetic gallery, training, and the recognition decision on held-out probes.
import { employeeId } from '../../src/domain/ids.js';
import { modelPackId } from '../../src/domain/ids.js';
import { classifierFor, type ClassifierModel } from '../../src/recognition/classifier.js';
import { decisionParams } from '../../src/recognition/decision-rules.js';
import { Recognizer } from '../../src/recognition/recognizer.js';
import { trainShortlist } from '../../src/recognition/shortlist/train-shortlist.js';
import { syntheticProbes, syntheticTrainingSet, type SyntheticOptions } from '../../src/recognition/svm/synthetic-embeddings.js';
import { trainSvm } from '../../src/recognition/svm/train-svm.js';
import type { TrainingSet } from '../../src/recognition/svm/types.js';
import { Gallery } from '../../src/vision/gallery.js';

export type Trainer = 'shortlist' | 'global';

export interface SizeResult {
  trainer: Trainer;
  employees: number;
  templates: number;
  trainWallMs: number;
  trainCpuMs: number;
  /** Max resident set size of the whole process (data generation included). */
  peakRssMiB: number;
  cvAccuracy: number;
  /** Templates the classifier trained on (after the cap). */
  trainedTemplates: number;
  phaseMs: Record<string, number>;
  best: Record<string, number>;
  /** Share of enrolled probes named right / named as someone else. */
  named: number;
  misnamed: number;
  /** Share of stranger probes named as an employee. */
  strangersNamed: number;
  /** Share of named probes decided by the classifier (method 'svm'). */
  bySvm: number;
  decideP50Ms: number;
  decideP95Ms: number;
  smallDecideP50Ms: number;
  probes: number;
}

const cpuMs = (): number => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};
const pct = (sorted: number[], p: number): number => sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))] ?? 0;

async function train(trainer: Trainer, set: TrainingSet): Promise<{ model: ClassifierModel; cvAccuracy: number; templates: number; phaseMs: Record<string, number>; best: Record<string, number> }> {
  if (trainer === 'global') {
    const r = await trainSvm(set, { kernel: 'rbf', C: 1, gamma: 'scale', seed: 1 });
    if (r.kind !== 'trained') {
      throw new Error('not trained');
    }
    return { model: r.model, cvAccuracy: r.metrics.cvAccuracy, templates: r.templateCount, phaseMs: r.metrics.phaseMs, best: r.metrics.best };
  }
  const r = await trainShortlist(set, { C: 1, seed: 1 });
  if (r.kind !== 'trained') {
    throw new Error('not trained');
  }
  return {
    model: r.model,
    cvAccuracy: r.metrics.cvAccuracy,
    templates: r.templateCount,
    phaseMs: r.metrics.phaseMs,
    best: { C: r.metrics.best.C, cap: r.metrics.cap, epochs: r.metrics.meanEpochs },
  };
}

async function decideTimes(recognizer: Recognizer, xs: readonly Float32Array[]): Promise<number[]> {
  const times: number[] = [];
  for (const x of xs) {
    const t = performance.now();
    await recognizer.recognize([x]);
    times.push(performance.now() - t);
  }
  return times.sort((a, b) => a - b);
}

export async function measureSize(employees: number, templates: number, trainer: Trainer, probesPerPerson: number): Promise<SizeResult> {
  const data: SyntheticOptions = { classes: employees, perClass: templates, dim: 512, intraCos: 0.7, interCos: 0.15, seed: 11 };
  const set = syntheticTrainingSet(data);
  // Warm-up (JIT) on a small set, not measured.
  await train(trainer, syntheticTrainingSet({ ...data, classes: 6, perClass: 10, seed: 3 }));

  const c0 = cpuMs();
  const t0 = performance.now();
  const trained = await train(trainer, set);
  const trainWallMs = performance.now() - t0;
  const trainCpuMs = cpuMs() - c0;

  const params = decisionParams();
  const gallery = Gallery.fromRows(set.vectors.map((embedding, i) => ({ employeeId: employeeId(set.labels[i] as number), embedding })));
  const recognizer = new Recognizer(modelPackId('bench'), params, { gallery, svm: classifierFor(trained.model) });
  const perPerson = Math.max(1, Math.min(probesPerPerson, Math.floor(2000 / employees)));
  const enrolled = Array.from({ length: Math.min(employees, 2000) }, (_, i) => Math.floor((i * employees) / Math.min(employees, 2000)));
  const known = syntheticProbes(data, enrolled, perPerson, 9001);
  const strangers = syntheticProbes(
    data,
    Array.from({ length: 100 }, (_, i) => employees + i),
    2,
    9002,
  );
  let named = 0;
  let misnamed = 0;
  let bySvm = 0;
  for (const p of known) {
    const [d] = await recognizer.recognize([p.x]);
    if (d?.kind === 'recognized') {
      if (d.employeeId === p.employeeId) {
        named++;
        bySvm += d.method === 'svm' ? 1 : 0;
      } else {
        misnamed++;
      }
    }
  }
  let strangersNamed = 0;
  for (const p of strangers) {
    const [d] = await recognizer.recognize([p.x]);
    strangersNamed += d?.kind === 'recognized' ? 1 : 0;
  }
  const timed = known.slice(0, 400).map((p) => p.x);
  const times = await decideTimes(recognizer, timed);

  // The same decision on a 5-employee gallery with its own classifier, in this process.
  const smallSet = syntheticTrainingSet({ ...data, classes: 5 });
  const small = await train(trainer, smallSet);
  const smallGallery = Gallery.fromRows(smallSet.vectors.map((embedding, i) => ({ employeeId: employeeId(smallSet.labels[i] as number), embedding })));
  const smallRecognizer = new Recognizer(modelPackId('bench'), params, { gallery: smallGallery, svm: classifierFor(small.model) });
  const smallProbes = syntheticProbes(data, [0, 1, 2, 3, 4], 80, 9003).map((p) => p.x);
  await decideTimes(smallRecognizer, smallProbes.slice(0, 50));
  const smallTimes = await decideTimes(smallRecognizer, smallProbes);

  return {
    trainer,
    employees,
    templates,
    trainWallMs: trainWallMs,
    trainCpuMs,
    peakRssMiB: process.resourceUsage().maxRSS / 1024,
    cvAccuracy: trained.cvAccuracy,
    trainedTemplates: trained.templates,
    phaseMs: trained.phaseMs,
    best: trained.best,
    named: named / known.length,
    misnamed: misnamed / known.length,
    strangersNamed: strangersNamed / strangers.length,
    bySvm: named === 0 ? 0 : bySvm / named,
    decideP50Ms: pct(times, 0.5),
    decideP95Ms: pct(times, 0.95),
    smallDecideP50Ms: pct(smallTimes, 0.5),
    probes: known.length + strangers.length,
  };
}
