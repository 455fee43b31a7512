import { describe, expect, it } from 'vitest';
import { employeeId, modelPackId, type EmployeeId } from '../../../src/domain/ids.js';
import { classifierFor } from '../../../src/recognition/classifier.js';
import { decisionParams } from '../../../src/recognition/decision-rules.js';
import { Recognizer } from '../../../src/recognition/recognizer.js';
import { fitEmployeeMachine, meanDirection, withMachines } from '../../../src/recognition/shortlist/incremental.js';
import { shortlistEvidence, type ShortlistModel } from '../../../src/recognition/shortlist/shortlist-model.js';
import { trainShortlist } from '../../../src/recognition/shortlist/train-shortlist.js';
import { syntheticProbes, syntheticTrainingSet, type SyntheticOptions } from '../../../src/recognition/svm/synthetic-embeddings.js';
import { trainSvm } from '../../../src/recognition/svm/train-svm.js';
import { Gallery } from '../../../src/vision/gallery.js';

// 40 people; the classifier is trained on the first 39, the 40th is hired afterwards.
const dim = 256;
const data: SyntheticOptions = { classes: 40, perClass: 10, dim, intraCos: 0.7, interCos: 0.15, seed: 8, firstId: 1 };
const all = syntheticTrainingSet(data);
const hire = employeeId(40);
const before = {
  ...all,
  vectors: all.vectors.filter((_, i) => all.labels[i] !== hire),
  labels: all.labels.filter((l) => l !== hire),
};
const hireRows = all.vectors.filter((_, i) => all.labels[i] === hire);
const probes = syntheticProbes(data, [39, 39, 39, 0, 1, 2], 2, 55);

async function trained(): Promise<ShortlistModel> {
  const r = await trainShortlist(before, { C: 1 });
  if (r.kind !== 'trained') {
    throw new Error('not trained');
  }
  return r.model;
}

function galleryWithHire(): Gallery {
  return Gallery.fromRows(all.vectors.map((embedding, i) => ({ employeeId: employeeId(all.labels[i]!), embedding })));
}

describe('a new hire with no retrain', () => {
  it('is named by cosine at once: the classifier stays silent for people it has never seen', async () => {
    const model = await trained();
    expect(model.machines.has(hire)).toBe(false);
    const recognizer = new Recognizer(modelPackId('t'), decisionParams(), { gallery: galleryWithHire(), svm: classifierFor(model) });
    const decisions = await recognizer.recognize(probes.map((p) => p.x));
    decisions.forEach((d, i) => expect(d).toMatchObject({ kind: 'recognized', employeeId: probes[i]!.employeeId }));
    // The hire is decided by cosine; the others still by the classifier.
    expect(decisions.slice(0, 6).every((d) => d.kind === 'recognized' && d.method === 'cosine')).toBe(true);
    expect(decisions.slice(6).every((d) => d.kind === 'recognized' && d.method === 'svm')).toBe(true);
  });

  it('the same holds for the global multi-class SVM (its classes no longer match the gallery)', async () => {
    const r = await trainSvm(before, { kernel: 'rbf', C: 1, gamma: 'scale', cGrid: [1], gammaGrid: [1] });
    if (r.kind !== 'trained') {
      throw new Error('not trained');
    }
    const recognizer = new Recognizer(modelPackId('t'), decisionParams(), { gallery: galleryWithHire(), svm: classifierFor(r.model) });
    const decisions = await recognizer.recognize(probes.map((p) => p.x));
    decisions.forEach((d, i) => expect(d).toMatchObject({ kind: 'recognized', employeeId: probes[i]!.employeeId }));
    expect(decisions.slice(0, 6).every((d) => d.kind === 'recognized' && d.method === 'cosine')).toBe(true);
  });

  it('gets a machine of their own from one incremental fit, with the model C and sigmoid', async () => {
    const model = await trained();
    const gallery = galleryWithHire();
    const own = new Float32Array(hireRows.length * dim);
    hireRows.forEach((r, i) => own.set(r, i * dim));
    // Their nearest identities, found the way the service does: the gallery search of their mean face.
    const nearest = (await gallery.bestPerEmployee(meanDirection(own, dim), 13)).filter((m) => m.employeeId !== hire);
    const rowsOf = (id: EmployeeId): Float32Array => {
      const mine = before.vectors.filter((_, i) => before.labels[i] === id);
      const out = new Float32Array(mine.length * dim);
      mine.forEach((r, i) => out.set(r, i * dim));
      return out;
    };
    const others = new Float32Array(20 * dim);
    for (let i = 0; i < 20; i++) {
      others.set(before.vectors[i * 17]!, i * dim);
    }
    const t = performance.now();
    const machine = fitEmployeeMachine(model, {
      dim,
      own,
      neighbours: nearest.map((m) => ({ employeeId: m.employeeId, rows: rowsOf(m.employeeId) })),
      others,
    });
    expect(performance.now() - t).toBeLessThan(2000);
    expect(machine.neighbours).toHaveLength(12);
    const next = withMachines(model, new Map([[hire, machine]]));
    expect(model.machines.has(hire)).toBe(false);
    expect(next.machines.size).toBe(40);
    const recognizer = new Recognizer(modelPackId('t'), decisionParams(), { gallery, svm: classifierFor(next) });
    const decisions = await recognizer.recognize(probes.map((p) => p.x));
    decisions.forEach((d, i) => expect(d).toMatchObject({ kind: 'recognized', employeeId: probes[i]!.employeeId, method: 'svm' }));
    // Dropping someone (erasure) removes their machine only.
    expect(withMachines(next, new Map(), [employeeId(3)]).machines.has(employeeId(3))).toBe(false);
  });

  it('a far-away candidate without a machine does not silence the classifier', async () => {
    const model = await trained();
    const x = probes[6]!.x;
    const covered = [{ employeeId: employeeId(1), score: 0.7 }];
    expect(shortlistEvidence(model, x, [...covered, { employeeId: employeeId(999), score: 0.68 }])).toBeUndefined();
    const evidence = shortlistEvidence(model, x, [...covered, { employeeId: employeeId(999), score: 0.2 }]);
    expect(evidence?.ranking.map((r) => r.employeeId)).toEqual([1]);
    expect(evidence?.ranking[0]!.probability).toBeGreaterThan(0.5);
  });
});
