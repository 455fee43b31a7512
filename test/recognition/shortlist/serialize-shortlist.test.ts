import { describe, expect, it } from 'vitest';
import { employeeId } from '../../../src/domain/ids.js';
import { deserializeClassifier, serializeClassifier } from '../../../src/recognition/classifier.js';
import { deserializeShortlist, serializeShortlist } from '../../../src/recognition/shortlist/serialize-shortlist.js';
import { shortlistEvidence } from '../../../src/recognition/shortlist/shortlist-model.js';
import { trainShortlist } from '../../../src/recognition/shortlist/train-shortlist.js';
import { syntheticProbes, syntheticTrainingSet } from '../../../src/recognition/svm/synthetic-embeddings.js';
import { trainSvm } from '../../../src/recognition/svm/train-svm.js';

const data = { classes: 6, perClass: 8, dim: 32, seed: 12, firstId: 40 };

describe('shortlist model storage', () => {
  it('round-trips exactly (same evidence), and the classifier codec tells both kinds apart', async () => {
    const r = await trainShortlist(syntheticTrainingSet(data), { C: 1 });
    const s = await trainSvm(syntheticTrainingSet(data), { kernel: 'rbf', C: 1, gamma: 'scale', cGrid: [1], gammaGrid: [1] });
    if (r.kind !== 'trained' || s.kind !== 'trained') {
      throw new Error('not trained');
    }
    // An unaligned copy, as a database driver may hand it back.
    const bytes = serializeShortlist(r.model);
    const unaligned = new Uint8Array(bytes.length + 3).subarray(3);
    unaligned.set(bytes);
    const back = deserializeShortlist(unaligned);
    expect(back).toMatchObject({ kind: 'shortlist', dim: 32, C: r.model.C, platt: r.model.platt, cap: r.model.cap });
    expect([...back.machines.keys()]).toEqual([...r.model.machines.keys()]);
    for (const p of syntheticProbes(data, [0, 3], 2, 5)) {
      const candidates = [0, 1, 2].map((c) => ({ employeeId: employeeId(40 + ((p.c + c) % 6)), score: 0.6 - c * 0.1 }));
      expect(shortlistEvidence(back, p.x, candidates)).toEqual(shortlistEvidence(r.model, p.x, candidates));
    }
    expect(deserializeClassifier(serializeClassifier(r.model))).toMatchObject({ kind: 'shortlist' });
    expect(deserializeClassifier(serializeClassifier(s.model))).toMatchObject({ svCount: s.model.svCount });
  });

  it('rejects foreign and truncated bytes', async () => {
    expect(() => deserializeShortlist(new Uint8Array(16))).toThrow(/bad magic/);
    const r = await trainShortlist(syntheticTrainingSet(data), { C: 1 });
    if (r.kind !== 'trained') {
      throw new Error('not trained');
    }
    const bytes = serializeShortlist(r.model);
    expect(() => deserializeShortlist(bytes.subarray(0, bytes.length - 8))).toThrow(/truncated/);
  });
});
