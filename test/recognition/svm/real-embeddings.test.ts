// The SVM on real embeddings: the default pack's 512-d embeddings of ../shared/faces/people train
// it, the single-face probes (other photos of the same people) must come out as the right person.
import { existsSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { predictSvm } from '../../../src/recognition/svm/predict-svm.js';
import { trainSvm } from '../../../src/recognition/svm/train-svm.js';
import type { TrainedSvm } from '../../../src/recognition/svm/types.js';
import { FacePipeline } from '../../../src/engine/face-pipeline.js';
import { FACEPLUGIN_DIR, labelledPhotos, pipelineConfig, readFace } from '../../vision/helpers/faces.js';

const hasModels = existsSync(`${FACEPLUGIN_DIR}/fr_feature.onnx`);
const people = ['obama', 'biden', 'kit_harington', 'rose_leslie', 'alex_lacamoire'];
let pipeline: FacePipeline;
const probes: { person: string; embedding: Float32Array }[] = [];
let model: TrainedSvm;

async function embedding(file: string): Promise<Float32Array> {
  const r = await pipeline.analyzeImage(readFace(file));
  const face = r.faces[0];
  if (!face?.embedding) {
    throw new Error(`no face in ${file}`);
  }
  return Float32Array.from(face.embedding);
}

describe.skipIf(!hasModels)('SVM on real face embeddings', () => {
  beforeAll(async () => {
    pipeline = await FacePipeline.create(pipelineConfig);
    const vectors: Float32Array[] = [];
    const labels: number[] = [];
    for (const photo of labelledPhotos()) {
      const person = photo.people[0] ?? '';
      if (photo.people.length !== 1) {
        continue;
      }
      if (photo.file.startsWith('people/')) {
        vectors.push(await embedding(photo.file));
        labels.push(people.indexOf(person) + 1);
      } else {
        probes.push({ person, embedding: await embedding(photo.file) });
      }
    }
    const r = await trainSvm({ vectors, labels, modelId: 'faceplugin-fr-0.0.1' }, { kernel: 'rbf', C: 1, gamma: 'scale' });
    if (r.kind !== 'trained') {
      throw new Error('not trained');
    }
    model = r;
  }, 120_000);
  afterAll(() => pipeline?.close());

  it('cross-validates and names every single-face probe correctly', () => {
    expect(model.classCount).toBe(5);
    expect(model.metrics.cvAccuracy).toBeGreaterThanOrEqual(0.8);
    expect(probes.length).toBeGreaterThanOrEqual(5);
    for (const probe of probes) {
      const p = predictSvm(model.model, probe.embedding);
      expect(p.employeeId, probe.person).toBe(people.indexOf(probe.person) + 1);
      expect(p.probability).toBeGreaterThan(p.ranking[1]?.probability ?? 1);
    }
  });
});
