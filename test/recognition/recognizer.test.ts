import { describe, expect, it } from 'vitest';
import { employeeId, modelPackId } from '../../src/domain/ids.js';
import { decisionParams } from '../../src/recognition/decision-rules.js';
import type { Classifier } from '../../src/recognition/classifier.js';
import { Recognizer } from '../../src/recognition/recognizer.js';
import { Gallery } from '../../src/vision/gallery.js';
import { near, randomUnit, rng } from '../vision/gallery-fixtures.js';

const DIM = 512;
const rand = rng(9);
// Three enrolled people, 5 templates each at cosine ~0.75 from their centre.
const centres = [randomUnit(rand, DIM), randomUnit(rand, DIM), randomUnit(rand, DIM)];
const rows = centres.flatMap((c, p) => Array.from({ length: 5 }, () => ({ employeeId: employeeId(p + 1), embedding: near(rand, c, 0.75) })));
const params = decisionParams({ threshold: 0.45, margin: 0.08 });

/** The worst case for safety: an SVM that is always sure it is looking at `id`. */
const alwaysSure = (id: number): Classifier => ({
  evidence: () => ({ ranking: [{ employeeId: id, probability: 0.99 }, { employeeId: 99, probability: 0.01 }] }),
  covers: () => true,
});

describe('Recognizer', () => {
  it('recognizes enrolled faces by cosine, leaves strangers unknown, and keeps face order', async () => {
    const r = new Recognizer(modelPackId('test'), params, { gallery: Gallery.fromRows(rows) });
    const faces = [near(rand, centres[1]!, 0.8), randomUnit(rand, DIM), undefined, near(rand, centres[0]!, 0.7)];
    const d = await r.recognize(faces, [undefined, undefined, undefined, ['blur']]);
    expect(d[0]).toMatchObject({ kind: 'recognized', employeeId: 2, method: 'cosine' });
    expect(d[1]).toMatchObject({ kind: 'unknown', reason: 'below_threshold' });
    expect(d[2]).toMatchObject({ kind: 'unknown', reason: 'no_face' });
    // ~0.7 x 0.75 = 0.53 to the templates: a match, but a blurred face needs a very strong one (0.60).
    expect(d[3]).toMatchObject({ kind: 'unknown', reason: 'low_quality', bestCandidate: 1 });
  });

  it('uses the SVM when it agrees, and never lets it name a stranger', async () => {
    const r = new Recognizer(modelPackId('test'), params, { gallery: Gallery.fromRows(rows), svm: alwaysSure(3) });
    const [known, stranger] = await r.recognize([near(rand, centres[2]!, 0.8), randomUnit(rand, DIM)]);
    expect(known).toMatchObject({ kind: 'recognized', employeeId: 3, method: 'svm', svmProbability: 0.99 });
    expect(stranger?.kind).toBe('unknown');
  });

  it('swaps gallery and SVM atomically; a call in flight keeps what it started with', async () => {
    const r = new Recognizer(modelPackId('test'), params);
    expect(await r.recognize([randomUnit(rand, DIM)])).toEqual([{ kind: 'unknown', reason: 'below_threshold', confidence: 0 }]);
    const first = Gallery.fromRows(rows.filter((x) => x.employeeId === 1));
    r.swap({ gallery: first, svm: undefined });
    const face = near(rand, centres[0]!, 0.8);
    const pending = r.recognize([face]);
    // Retrain lands while the search runs: employee 1 re-enrolled as 7.
    r.swap({ gallery: Gallery.fromRows(rows.map((x) => ({ ...x, employeeId: x.employeeId === 1 ? employeeId(7) : x.employeeId }))), svm: alwaysSure(7) });
    expect(await pending).toMatchObject([{ kind: 'recognized', employeeId: 1, method: 'cosine' }]);
    expect(await r.recognize([face])).toMatchObject([{ kind: 'recognized', employeeId: 7, method: 'svm' }]);
    r.setSvm(undefined);
    expect(r.hasSvm).toBe(false);
    expect(await r.recognize([face])).toMatchObject([{ kind: 'recognized', employeeId: 7, method: 'cosine' }]);
  });
});
