// The recognition decision for one face: cosine evidence from the gallery
// (best cosine per PERSON) plus, when a model is live, the SVM's calibrated
// probabilities. Pure: the Recognizer (recognizer.ts) gathers the evidence.
//
// Why these rules:
// - Cosine is the ground truth of "is this face near this person's
//   templates". A multi-class SVM always names SOME class, even for a
//   stranger, so it may only confirm a person whose templates are also near
//   the face (cosine floor), never name one on its own.
// - Best vs second-best PERSON (not template): two templates of the same
//   person being close is expected; two different people being close means
//   the face could be either, so it is unknown ('ambiguous').
// - The SVM is trained to separate enrolled people from each other, so when
//   it agrees with the cosine favourite, is confident, and that favourite is
//   reasonably near (floor below the cosine threshold), it may decide cases
//   the cosine rule cannot (moderate cosine, or two people within the
//   margin). When it disagrees, the cosine rule alone decides.
// - Low-quality faces (blur, too small, extreme pose, ...) give unreliable
//   embeddings: unknown unless the cosine match is very strong anyway.
//
// Default threshold: 0.45 (RECOGNITION_THRESHOLD, the replaced service's
// name and value). With the default faceplugin model, same-person pairs of
// the test photos score >= 0.59 and different people <= 0.19; 0.45 keeps
// 0.14 of headroom for harder camera conditions (pose, light, motion) under
// the weakest genuine pair and 0.26 above the strongest impostor pair (the
// impostor tail grows with the gallery). SVM floor 0.35 and low-quality bar
// 0.60 derive from it (threshold - 0.10 / + 0.15) unless set.
import type { Config } from '../config.js';
import type { EmployeeId } from '../domain/ids.js';
import type { EmployeeMatch } from '../vision/gallery-search.js';
import type { QualityIssue } from '../vision/types.js';

export type RecognitionDecision =
  | {
      kind: 'recognized';
      employeeId: EmployeeId;
      /** 0..1: the SVM probability (method 'svm') or a cosine-derived score (method 'cosine'). */
      confidence: number;
      method: 'svm' | 'cosine';
      /** Best cosine of this employee's templates. */
      cosine: number;
      svmProbability?: number;
    }
  | {
      kind: 'unknown';
      reason: 'no_face' | 'low_quality' | 'below_threshold' | 'ambiguous';
      /** 0..1: how close the best candidate came (cosine-derived). */
      confidence: number;
      bestCandidate?: EmployeeId;
    };

/** Minimal structural view of an SVM prediction (src/recognition/svm predictSvm's result fits). */
export interface SvmEvidence {
  ranking: readonly { employeeId: number; probability: number }[];
  /**
   * Probability that the face is none of the ranked people (the shortlist classifier's "open"
   * share); absent for the closed-set multi-class SVM. It counts against the top person in the
   * pairwise share, so a stranger is never confirmed by a classifier that merely ranks.
   */
  open?: number;
}

export interface DecisionParams {
  /** Cosine the best person must reach on the cosine path. */
  threshold: number;
  /** Cosine lead the best person needs over the second-best person on the cosine path. */
  margin: number;
  /** Cosine the SVM's pick must still reach (below `threshold`, far above impostor scores). */
  svmCosineFloor: number;
  /** SVM probability needed for the SVM to decide. */
  svmMinProbability: number;
  /**
   * Or: the top person's probability against the runner-up, p1 / (p1 + p2), needed for the
   * SVM to decide. Pairwise coupling spreads probability over every class, so with many
   * employees even a certain answer has a small absolute probability (about
   * 1 / (1 + (K - 1) / 19) with libsvm-style Platt targets: 0.26 at K = 55); the pairwise
   * share does not shrink with K.
   */
  svmMinRelative: number;
  /** Cosine a low-quality face needs to be recognized anyway (margin still applies). */
  lowQualityThreshold: number;
  /** Issues that make a face low quality; default all. */
  lowQualityIssues: ReadonlySet<QualityIssue>;
  /** Width of the cosine -> confidence sigmoid (0.5 at `threshold`). */
  confidenceScale: number;
}

export const ALL_QUALITY_ISSUES: ReadonlySet<QualityIssue> = new Set<QualityIssue>([
  'blur',
  'too_dark',
  'too_bright',
  'too_small',
  'occluded',
  'extreme_pose',
  'cut_off',
]);

export function decisionParams(
  p: { threshold?: number; margin?: number } & Partial<Omit<DecisionParams, 'threshold' | 'margin'>> = {},
): DecisionParams {
  const threshold = p.threshold ?? 0.45;
  return {
    threshold,
    margin: p.margin ?? 0.08,
    svmCosineFloor: p.svmCosineFloor ?? threshold - 0.1,
    svmMinProbability: p.svmMinProbability ?? 0.5,
    svmMinRelative: p.svmMinRelative ?? 0.75,
    lowQualityThreshold: p.lowQualityThreshold ?? threshold + 0.15,
    lowQualityIssues: p.lowQualityIssues ?? ALL_QUALITY_ISSUES,
    confidenceScale: p.confidenceScale ?? 0.05,
  };
}

export function decisionParamsFromConfig(config: Pick<Config, 'RECOGNITION_THRESHOLD' | 'RECOGNITION_MARGIN'>): DecisionParams {
  return decisionParams({ threshold: config.RECOGNITION_THRESHOLD, margin: config.RECOGNITION_MARGIN });
}

export interface FaceEvidence {
  /** Best cosine per employee, best first (at least the top two persons when there are two). */
  candidates: readonly EmployeeMatch[];
  /** Absent when no SVM is live (not trained, or stale for this gallery). */
  svm?: SvmEvidence;
  /** Quality issues of the face; empty or absent when fine. */
  issues?: readonly QualityIssue[];
}

export const NO_FACE: RecognitionDecision = { kind: 'unknown', reason: 'no_face', confidence: 0 };

/** Cosine -> 0..1, 0.5 at the threshold; monotone, so it ranks like the cosine. */
export function cosineConfidence(cosine: number, params: DecisionParams): number {
  return clamp01(1 / (1 + Math.exp(-(cosine - params.threshold) / params.confidenceScale)));
}

export function decide(evidence: FaceEvidence, params: DecisionParams): RecognitionDecision {
  const best = evidence.candidates[0];
  if (!best) {
    // Empty gallery: nobody to recognize.
    return { kind: 'unknown', reason: 'below_threshold', confidence: 0 };
  }
  const second = evidence.candidates[1];
  const lead = best.score - (second?.score ?? -1);
  const candidateConfidence = cosineConfidence(best.score, params);
  const unknown = (reason: 'low_quality' | 'below_threshold' | 'ambiguous'): RecognitionDecision => ({
    kind: 'unknown',
    reason,
    confidence: candidateConfidence,
    bestCandidate: best.employeeId,
  });
  const svmProbabilityOf = (id: EmployeeId): number | undefined =>
    evidence.svm?.ranking.find((r) => r.employeeId === id)?.probability;
  const byCosine = (): RecognitionDecision => {
    const svmProbability = svmProbabilityOf(best.employeeId);
    return {
      kind: 'recognized',
      employeeId: best.employeeId,
      confidence: candidateConfidence,
      method: 'cosine',
      cosine: best.score,
      ...(svmProbability === undefined ? {} : { svmProbability }),
    };
  };

  if ((evidence.issues ?? []).some((i) => params.lowQualityIssues.has(i))) {
    // The SVM is not consulted: its probabilities mean little on a degraded embedding.
    if (best.score >= params.lowQualityThreshold && lead >= params.margin) {
      return byCosine();
    }
    return unknown('low_quality');
  }

  const svmTop = evidence.svm?.ranking[0];
  const svmRelative = svmTop
    ? svmTop.probability / (svmTop.probability + (evidence.svm?.ranking[1]?.probability ?? 0) + (evidence.svm?.open ?? 0) || 1)
    : 0;
  if (
    svmTop &&
    svmTop.employeeId === best.employeeId &&
    (svmTop.probability >= params.svmMinProbability || svmRelative >= params.svmMinRelative) &&
    best.score >= params.svmCosineFloor
  ) {
    return {
      kind: 'recognized',
      employeeId: best.employeeId,
      // Confidence that doesn't fall with the number of employees (see svmMinRelative).
      confidence: clamp01(Math.max(svmTop.probability, svmRelative)),
      method: 'svm',
      cosine: best.score,
      svmProbability: svmTop.probability,
    };
  }

  if (best.score < params.threshold) {
    return unknown('below_threshold');
  }
  if (lead < params.margin) {
    return unknown('ambiguous');
  }
  return byCosine();
}

function clamp01(v: number): number {
  return Number.isFinite(v) ? Math.min(1, Math.max(0, v)) : 0;
}
