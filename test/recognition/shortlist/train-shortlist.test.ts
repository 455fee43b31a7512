import { describe, expect, it } from 'vitest';
import { employeeId, modelPackId } from '../../../src/domain/ids.js';
import { classifierFor } from '../../../src/recognition/classifier.js';
import { decisionParams } from '../../../src/recognition/decision-rules.js';
import { Recognizer } from '../../../src/recognition/recognizer.js';
import { adaptiveCap, trainShortlist } from '../../../src/recognition/shortlist/train-shortlist.js';
import { syntheticProbes, syntheticTrainingSet, type SyntheticOptions } from '../../../src/recognition/svm/synthetic-embeddings.js';
import { Gallery } from '../../../src/vision/gallery.js';

// Galleries of several sizes: correctness only (the time limits live in bench/training.bench.ts).
// 256-d: in fewer dimensions random strangers reach the cosine threshold by chance (64-d: ~0.5).
describe.each([3, 30, 150])('trainShortlist on %i synthetic employees', (classes) => {
  const data: SyntheticOptions = { classes, perClass: 12, dim: 256, intraCos: 0.7, interCos: 0.15, seed: 21, firstId: 500 };
  const set = syntheticTrainingSet(data);

  it('trains one machine per employee, names held-out probes and leaves strangers unknown', async () => {
    const phases = new Set<string>();
    const r = await trainShortlist(set, { C: 1, onProgress: (p) => phases.add(p.phase) });
    if (r.kind !== 'trained') {
      throw new Error('not trained');
    }
    expect(r.classCount).toBe(classes);
    expect(r.templateCount).toBe(classes * 12);
    expect([...r.model.machines.keys()].sort((a, b) => a - b)).toEqual(Array.from({ length: classes }, (_, i) => 500 + i));
    expect([...phases]).toEqual(['select', 'neighbours', 'grid', 'fit', 'calibrate']);
    expect(r.metrics.grid.map((g) => g.C)).toEqual([0.1, 1, 10]);
    expect(r.metrics.cvAccuracy).toBeGreaterThan(0.95);
    // Each machine's neighbours are other employees, at most min(12, classes - 1) of them.
    for (const [id, m] of r.model.machines) {
      expect(m.neighbours).not.toContain(id);
      expect(m.neighbours.length).toBe(Math.min(12, classes - 1));
    }
    const gallery = Gallery.fromRows(set.vectors.map((embedding, i) => ({ employeeId: employeeId(set.labels[i]!), embedding })));
    const recognizer = new Recognizer(modelPackId('test'), decisionParams(), { gallery, svm: classifierFor(r.model) });
    const known = syntheticProbes(data, Array.from({ length: classes }, (_, c) => c), 2, 77);
    const decisions = await recognizer.recognize(known.map((p) => p.x));
    decisions.forEach((d, i) => expect(d).toMatchObject({ kind: 'recognized', employeeId: known[i]!.employeeId }));
    // The machines decide (not only cosine): they are trusted where they agree with cosine.
    expect(decisions.filter((d) => d.kind === 'recognized' && d.method === 'svm').length).toBeGreaterThan(known.length * 0.9);
    const strangers = syntheticProbes(data, [classes, classes + 1, classes + 2, classes + 3], 3, 78);
    for (const d of await recognizer.recognize(strangers.map((p) => p.x))) {
      expect(d.kind).toBe('unknown');
    }
  });

  it('is deterministic for a seed', async () => {
    const [a, b] = await Promise.all([trainShortlist(set, { C: 1, seed: 4 }), trainShortlist(set, { C: 1, seed: 4 })]);
    if (a.kind !== 'trained' || b.kind !== 'trained') {
      throw new Error('not trained');
    }
    expect([...a.model.machines.values()].map((m) => m.bias)).toEqual([...b.model.machines.values()].map((m) => m.bias));
    expect(a.model.platt).toEqual(b.model.platt);
  });
});

describe('trainShortlist edges', () => {
  it('skips fewer than two employees', async () => {
    const set = syntheticTrainingSet({ classes: 1, perClass: 5, dim: 16 });
    expect(await trainShortlist(set, { C: 1 })).toMatchObject({ kind: 'skipped', reason: 'fewer_than_two_employees', classCount: 1 });
  });

  it('caps templates adaptively: the configured cap, lowered to stay within the budget, never below 10', async () => {
    expect(adaptiveCap(50, 40)).toBe(40);
    expect(adaptiveCap(1000, 40)).toBe(40);
    expect(adaptiveCap(5000, 40)).toBe(20);
    expect(adaptiveCap(50_000, 40)).toBe(10);
    expect(adaptiveCap(50_000, 6)).toBe(6);
    const set = syntheticTrainingSet({ classes: 4, perClass: 30, dim: 16 });
    const r = await trainShortlist(set, { C: 1, templateBudget: 40 });
    expect(r).toMatchObject({ kind: 'trained', templateCount: 40 });
    if (r.kind === 'trained') {
      expect(r.metrics.cap).toBe(10);
    }
  });

  it('stops when aborted', async () => {
    const set = syntheticTrainingSet({ classes: 20, perClass: 8, dim: 32 });
    const controller = new AbortController();
    controller.abort();
    await expect(trainShortlist(set, { C: 1, signal: controller.signal })).rejects.toThrow();
  });
});
