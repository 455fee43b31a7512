import { describe, expect, it } from 'vitest';
import { predictSvm } from '../../../src/recognition/svm/predict-svm.js';
import { syntheticProbe, syntheticTrainingSet, type SyntheticOptions } from '../../../src/recognition/svm/synthetic-embeddings.js';
import { readdirSync, readFileSync } from 'node:fs';
import { employeeId } from '../../../src/domain/ids.js';
import { createTrainPool, fitMachineInWorker, trainClassifierInWorker, trainSvmInWorker } from '../../../src/recognition/svm/train-in-worker.js';
import { deserializeSvm } from '../../../src/recognition/svm/serialize-svm.js';
import type { ClassifierPhase } from '../../../src/recognition/train-classifier.js';

const data: SyntheticOptions = { classes: 20, perClass: 30, dim: 512, seed: 3 };

describe('trainSvmInWorker', () => {
  it('trains off the event loop, reports progress and returns a storable model', async () => {
    const set = syntheticTrainingSet(data);
    const progress: { phase: ClassifierPhase; done: number; total: number }[] = [];
    let ticks = 0;
    let maxGap = 0;
    let last = performance.now();
    const timer = setInterval(() => {
      const now = performance.now();
      maxGap = Math.max(maxGap, now - last);
      last = now;
      ticks++;
    }, 10);
    const started = performance.now();
    const r = await trainSvmInWorker(set, { kernel: 'rbf', C: 1, gamma: 'scale' }, { onProgress: (p) => progress.push(p) });
    const elapsed = performance.now() - started;
    clearInterval(timer);
    expect(r.kind).toBe('trained');
    if (r.kind !== 'trained') {
      return;
    }
    // The timer kept firing throughout: the main thread never blocked on training.
    expect(ticks).toBeGreaterThan(elapsed / 10 / 4);
    expect(maxGap).toBeLessThan(250);
    expect(new Set(progress.map((p) => p.phase))).toEqual(new Set(['select', 'gram', 'grid', 'refit', 'calibrate']));
    expect(progress.filter((p) => p.phase === 'grid').at(-1)).toEqual({ phase: 'grid', done: 45, total: 45 });
    expect(r.metrics.cvAccuracy).toBe(1);
    expect(predictSvm(r.model, syntheticProbe(data, 7, 1)).employeeId).toBe(8);
    expect(deserializeSvm(r.modelBytes).svCount).toBe(r.model.svCount);
  }, 60_000);

  it('returns skipped for one employee and can be cancelled on a shared pool', async () => {
    const pool = createTrainPool();
    try {
      const one = syntheticTrainingSet({ ...data, classes: 1, perClass: 3 });
      await expect(trainSvmInWorker(one, { kernel: 'rbf', C: 1, gamma: 'scale' }, { pool })).resolves.toMatchObject({ kind: 'skipped' });
      const controller = new AbortController();
      const running = trainSvmInWorker(syntheticTrainingSet(data), { kernel: 'rbf', C: 1, gamma: 'scale' }, {
        pool,
        signal: controller.signal,
        onProgress: (p) => {
          if (p.phase === 'grid') {
            controller.abort();
          }
        },
      });
      await expect(running).rejects.toThrow();
      // The worker saw the cancel between grid steps and is free again.
      const again = await trainSvmInWorker(syntheticTrainingSet({ ...data, classes: 3, perClass: 5 }), { kernel: 'linear', C: 1, gamma: 'scale' }, { pool });
      expect(again.kind).toBe('trained');
    } finally {
      await pool.close();
    }
  }, 60_000);

  it('runs the shortlist trainer and one-machine fits at the lowest thread priority (nice 19)', async () => {
    const niceThreads = (): number =>
      readdirSync('/proc/self/task').filter((tid) => {
        // Fields after the command name: state is field 3, nice is field 19.
        const stat = readFileSync(`/proc/self/task/${tid}/stat`, 'utf8');
        return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[16]) === 19;
      }).length;
    const before = niceThreads();
    const pool = createTrainPool();
    try {
      const set = syntheticTrainingSet({ ...data, classes: 12, perClass: 8, dim: 64 });
      const r = await trainClassifierInWorker(set, { strategy: 'shortlist', globalMaxEmployees: 0, svm: { kernel: 'rbf', C: 1, gamma: 'scale' }, shortlist: { C: 1 } }, { pool });
      expect(r).toMatchObject({ kind: 'trained', classCount: 12, metrics: { strategy: 'shortlist' } });
      expect(niceThreads()).toBe(before + 1);
      if (r.kind === 'trained' && 'kind' in r.model) {
        const rows = (c: number): Float32Array => Float32Array.from(set.vectors.filter((_, i) => set.labels[i] === c + 1).flatMap((v) => [...v]));
        const machine = await fitMachineInWorker(pool, r.model, { dim: 64, own: rows(0), neighbours: [{ employeeId: employeeId(2), rows: rows(1) }], others: rows(5) });
        expect(machine.w).toHaveLength(64);
        expect(machine.neighbours).toEqual([2]);
      }
    } finally {
      await pool.close();
    }
  }, 60_000);
});
