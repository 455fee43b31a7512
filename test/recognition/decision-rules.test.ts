import { describe, expect, it } from 'vitest';
import { employeeId, type EmployeeId } from '../../src/domain/ids.js';
import { cosineConfidence, decide, decisionParams, decisionParamsFromConfig, type FaceEvidence, type SvmEvidence } from '../../src/recognition/decision-rules.js';
import type { EmployeeMatch } from '../../src/vision/gallery-search.js';

const params = decisionParams({ threshold: 0.45, margin: 0.08 });
const A = employeeId(1);
const B = employeeId(2);
const C = employeeId(3);

const people = (...scores: [EmployeeId, number][]): EmployeeMatch[] =>
  scores.map(([id, score], row) => ({ employeeId: id, score, row }));
const svm = (...ranking: [EmployeeId, number][]): SvmEvidence => ({
  ranking: ranking.map(([id, probability]) => ({ employeeId: id, probability })),
});
const run = (e: FaceEvidence) => decide(e, params);

describe('decide', () => {
  it('derives the lower floors from the threshold and reads the config names', () => {
    expect(params.svmCosineFloor).toBeCloseTo(0.35);
    expect(params.lowQualityThreshold).toBeCloseTo(0.6);
    expect(decisionParamsFromConfig({ RECOGNITION_THRESHOLD: 0.5, RECOGNITION_MARGIN: 0.1 })).toMatchObject({ threshold: 0.5, margin: 0.1 });
    expect(cosineConfidence(0.45, params)).toBeCloseTo(0.5);
  });

  it('recognizes via the SVM when it agrees with a cosine above the floor', () => {
    const d = run({ candidates: people([A, 0.4], [B, 0.15]), svm: svm([A, 0.9], [B, 0.1]) });
    expect(d).toEqual({ kind: 'recognized', employeeId: A, method: 'svm', confidence: 0.9, cosine: 0.4, svmProbability: 0.9 });
  });

  it('recognizes via cosine when no SVM is live', () => {
    const d = run({ candidates: people([A, 0.62], [B, 0.2]) });
    expect(d.kind).toBe('recognized');
    if (d.kind === 'recognized') {
      expect(d).toMatchObject({ employeeId: A, method: 'cosine', cosine: 0.62 });
      expect(d.svmProbability).toBeUndefined();
      expect(d.confidence).toBeGreaterThan(0.95);
      expect(d.confidence).toBeLessThanOrEqual(1);
    }
  });

  it('a single enrolled person is recognized when above the threshold', () => {
    expect(run({ candidates: people([A, 0.5]) })).toMatchObject({ kind: 'recognized', employeeId: A, method: 'cosine' });
  });

  it('is unknown below the threshold, naming the best candidate', () => {
    const d = run({ candidates: people([A, 0.3], [B, 0.1]) });
    expect(d).toMatchObject({ kind: 'unknown', reason: 'below_threshold', bestCandidate: A });
    expect(d.confidence).toBeLessThan(0.1);
  });

  it('is unknown (ambiguous) when two people are within the margin', () => {
    expect(run({ candidates: people([A, 0.6], [B, 0.55], [C, 0.2]) })).toMatchObject({ kind: 'unknown', reason: 'ambiguous', bestCandidate: A });
    // A confident SVM that agrees may separate them: that is what it was trained for.
    expect(run({ candidates: people([A, 0.6], [B, 0.55]), svm: svm([A, 0.8], [B, 0.2]) })).toMatchObject({ kind: 'recognized', method: 'svm', employeeId: A });
    // A hesitant one may not.
    expect(run({ candidates: people([A, 0.6], [B, 0.55]), svm: svm([A, 0.45], [B, 0.4]) })).toMatchObject({ kind: 'unknown', reason: 'ambiguous' });
  });

  it('is unknown (low quality) for a blurred face unless the match is very strong', () => {
    expect(run({ candidates: people([A, 0.55], [B, 0.1]), issues: ['blur'], svm: svm([A, 0.99]) })).toMatchObject({ kind: 'unknown', reason: 'low_quality', bestCandidate: A });
    expect(run({ candidates: people([A, 0.7], [B, 0.1]), issues: ['too_small'] })).toMatchObject({ kind: 'recognized', method: 'cosine', employeeId: A });
    // Very strong but ambiguous is still not enough.
    expect(run({ candidates: people([A, 0.7], [B, 0.66]), issues: ['extreme_pose'] })).toMatchObject({ kind: 'unknown', reason: 'low_quality' });
    // Issues outside the configured set do not count.
    const lenient = decisionParams({ lowQualityIssues: new Set(['blur']) });
    expect(decide({ candidates: people([A, 0.55], [B, 0.1]), issues: ['too_dark'] }, lenient)).toMatchObject({ kind: 'recognized' });
  });

  it('does not use the SVM when it disagrees with the cosine favourite', () => {
    // Clear cosine decision: stands, by cosine, with the SVM's view of that person attached.
    const d = run({ candidates: people([A, 0.62], [B, 0.3]), svm: svm([B, 0.7], [A, 0.3]) });
    expect(d).toMatchObject({ kind: 'recognized', employeeId: A, method: 'cosine', svmProbability: 0.3 });
    // Moderate cosine: the disagreeing SVM cannot lift it.
    expect(run({ candidates: people([A, 0.4], [B, 0.38]), svm: svm([B, 0.95], [A, 0.05]) })).toMatchObject({ kind: 'unknown', reason: 'below_threshold' });
  });

  it('never recognizes a face far from every template, however confident the SVM', () => {
    for (const p of [0.6, 0.9, 0.999]) {
      const d = run({ candidates: people([A, 0.19], [B, 0.12]), svm: svm([A, p], [B, 1 - p]) });
      expect(d).toMatchObject({ kind: 'unknown', reason: 'below_threshold' });
    }
    // Even just under the SVM floor.
    expect(run({ candidates: people([A, 0.34], [B, 0.1]), svm: svm([A, 0.99]) })).toMatchObject({ kind: 'unknown' });
  });

  it('treats an empty gallery as unknown', () => {
    expect(run({ candidates: [] })).toEqual({ kind: 'unknown', reason: 'below_threshold', confidence: 0 });
  });
});
