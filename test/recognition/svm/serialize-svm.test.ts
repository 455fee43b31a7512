import { describe, expect, it } from 'vitest';
import { classProbabilities, machineDecisions, predictSvm } from '../../../src/recognition/svm/predict-svm.js';
import { deserializeSvm, serializeSvm } from '../../../src/recognition/svm/serialize-svm.js';
import { syntheticProbe, syntheticTrainingSet, type SyntheticOptions } from '../../../src/recognition/svm/synthetic-embeddings.js';
import { trainSvm } from '../../../src/recognition/svm/train-svm.js';

const data: SyntheticOptions = { classes: 6, perClass: 10, dim: 128, seed: 21 };

describe('serializeSvm / deserializeSvm', () => {
  it('round-trips to identical predictions', async () => {
    const r = await trainSvm({ ...syntheticTrainingSet(data), modelId: 'pack:faceplugin#42' }, { kernel: 'rbf', C: 1, gamma: 'scale' });
    if (r.kind !== 'trained') {
      throw new Error('not trained');
    }
    const bytes = serializeSvm(r.model);
    // Stored rows come back as Buffers at arbitrary offsets.
    const stored = Buffer.concat([Buffer.from([1, 2, 3]), Buffer.from(bytes)]).subarray(3);
    const back = deserializeSvm(stored);
    expect(back.modelId).toBe('pack:faceplugin#42');
    expect(back.classes).toEqual(r.model.classes);
    expect(back.svCount).toBe(r.model.svCount);
    expect(bytes.length).toBeLessThan(r.model.svCount * 128 * 4 + 64 * 1024);
    for (let c = 0; c < data.classes; c++) {
      const probe = syntheticProbe(data, c, 300 + c);
      expect(machineDecisions(back, probe)).toEqual(machineDecisions(r.model, probe));
      expect(classProbabilities(back, probe)).toEqual(classProbabilities(r.model, probe));
      expect(predictSvm(back, probe)).toEqual(predictSvm(r.model, probe));
    }
    expect(Buffer.from(serializeSvm(back)).equals(Buffer.from(bytes))).toBe(true);
  });

  it('rejects foreign and truncated bytes', async () => {
    expect(() => deserializeSvm(new Uint8Array([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]))).toThrow(/magic/);
    const r = await trainSvm(syntheticTrainingSet({ ...data, classes: 2 }), { kernel: 'linear', C: 1, gamma: 'scale' });
    if (r.kind !== 'trained') {
      throw new Error('not trained');
    }
    const bytes = serializeSvm(r.model);
    expect(() => deserializeSvm(bytes.subarray(0, bytes.length - 8))).toThrow(/truncated/);
  });
});
