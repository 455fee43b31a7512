// With many employees the SVM's coupled probabilities are small even when it
// is sure; the decision uses the top person's share against the runner-up.
import { describe, expect, it } from 'vitest';
import { employeeId } from '../../src/domain/ids.js';
import { decide, decisionParams } from '../../src/recognition/decision-rules.js';

const A = employeeId(1);
const params = decisionParams();
// 55 classes: A wins every pairwise comparison at 0.95 -> p(A) ~ 0.26, the rest share the remainder.
const ranking = [{ employeeId: A, probability: 0.26 }, ...Array.from({ length: 54 }, (_, i) => ({ employeeId: employeeId(i + 2), probability: 0.74 / 54 }))];

describe('SVM decision with many classes', () => {
  it('decides by the pairwise share when the absolute probability is small', () => {
    const d = decide({ candidates: [{ employeeId: A, score: 0.9, row: 0 }, { employeeId: employeeId(2), score: 0.1, row: 1 }], svm: { ranking } }, params);
    expect(d).toMatchObject({ kind: 'recognized', method: 'svm', employeeId: A });
    expect(d.confidence).toBeGreaterThan(0.9);
  });

  it('two close people stay undecided by the SVM (cosine rules: ambiguous)', () => {
    const close = [
      { employeeId: A, probability: 0.2 },
      { employeeId: employeeId(2), probability: 0.18 },
      ...ranking.slice(2).map((r) => ({ ...r, probability: 0.62 / 53 })),
    ];
    const d = decide({ candidates: [{ employeeId: A, score: 0.6, row: 0 }, { employeeId: employeeId(2), score: 0.56, row: 1 }], svm: { ranking: close } }, params);
    expect(d).toMatchObject({ kind: 'unknown', reason: 'ambiguous' });
  });
});
