// The challenge's verdict from everything the kiosk sent: the head turns in
// order and in time, a head's 3D motion (not a flat or bent picture), the same
// person throughout, and the passive score. A discriminated union: a refusal
// names its main reason and lists every check that failed.
import type { Challenge } from './challenge.js';
import { followSequence, DEFAULT_SEQUENCE_THRESHOLDS, type FollowedStep, type PoseFrame, type SequenceThresholds } from './follow-sequence.js';
import { judgeMotion, motionEvidence, DEFAULT_MOTION_THRESHOLDS, type MotionEvidence, type MotionThresholds } from './head-motion.js';
import { checkIdentity, DEFAULT_IDENTITY_THRESHOLD } from './identity.js';
import { judgePassive, DEFAULT_LIVENESS_THRESHOLD, type PassiveVerdict } from './passive.js';

export interface ChallengeFrame extends PoseFrame {
  /** The face's embedding (identity check). */
  embedding?: Float32Array;
  /** P(live) from the passive model. */
  liveness?: number;
}

/** Most serious first: the main reason of a refusal is the first that applies. */
export const REFUSAL_REASONS = ['no_face', 'spoof', 'planar', 'identity_changed', 'wrong_direction', 'sequence_not_followed', 'timeout'] as const;
export type RefusalReason = (typeof REFUSAL_REASONS)[number];

export interface Finding {
  reason: RefusalReason;
  detail: string;
}

export interface ChallengeEvidence {
  frames: number;
  steps: FollowedStep[];
  passive: PassiveVerdict;
  /** The 3D check (undefined when no turn was seen to judge it on). */
  motion?: { homographyResidual: number; depthRatio: number };
  minSimilarity?: number;
}

export type ChallengeDecision =
  | { verdict: 'live'; evidence: ChallengeEvidence }
  | { verdict: 'refused'; reason: RefusalReason; detail: string; findings: Finding[]; evidence: ChallengeEvidence };

export interface DecisionThresholds {
  sequence: SequenceThresholds;
  motion: MotionThresholds;
  identity: number;
  liveness: number;
}

export const DEFAULT_DECISION_THRESHOLDS: DecisionThresholds = {
  sequence: DEFAULT_SEQUENCE_THRESHOLDS,
  motion: DEFAULT_MOTION_THRESHOLDS,
  identity: DEFAULT_IDENTITY_THRESHOLD,
  liveness: DEFAULT_LIVENESS_THRESHOLD,
};

/**
 * Decides a challenge from its frames (frames without a face are left out by the caller and
 * counted in `missedFrames`). `now` past the deadline turns an unfinished sequence into a timeout.
 */
export function decideChallenge(
  challenge: Challenge,
  frames: readonly ChallengeFrame[],
  now: number,
  thresholds: Partial<DecisionThresholds> = {},
): ChallengeDecision {
  const t = { ...DEFAULT_DECISION_THRESHOLDS, ...thresholds };
  const findings: Finding[] = [];
  const passive = judgePassive(
    frames.flatMap((f) => (f.liveness === undefined ? [] : [f.liveness])),
    t.liveness,
  );
  const evidence: ChallengeEvidence = { frames: frames.length, steps: [], passive };
  if (frames.length === 0) {
    return refuse([{ reason: 'no_face', detail: 'no face was seen' }], evidence);
  }
  if (!passive.live) {
    findings.push({
      reason: 'spoof',
      detail: Number.isNaN(passive.score)
        ? 'no passive liveness score'
        : `passive liveness ${passive.score.toPrecision(2)} < ${t.liveness} (median of ${passive.frames} frames)`,
    });
  }

  const seq = followSequence(challenge, frames, t.sequence);
  evidence.steps = seq.steps;
  if (seq.kind === 'not_followed') {
    const late = now > challenge.deadline && seq.reason === 'incomplete';
    findings.push({ reason: seq.reason === 'wrong_direction' ? 'wrong_direction' : late ? 'timeout' : 'sequence_not_followed', detail: seq.detail });
  }

  if (seq.neutral !== undefined) {
    const neutral = frames[seq.neutral]!;
    // The 3D check on the peak of every turn seen (also when the sequence failed: a picture is
    // the finding that matters most).
    const evidenceByTurn = seq.steps.flatMap((s): MotionEvidence[] => {
      const e = motionEvidence(neutral.landmarks, frames[s.peak]!.landmarks);
      return e ? [e] : [];
    });
    if (evidenceByTurn.length > 0) {
      const motion = judgeMotion(evidenceByTurn, t.motion);
      evidence.motion = { homographyResidual: motion.homographyResidual, depthRatio: motion.ratio };
      if (motion.kind === 'planar') {
        findings.push({ reason: 'planar', detail: motion.detail });
      }
    }
    const identity = checkIdentity(
      frames.map((f) => f.embedding),
      seq.neutral,
      t.identity,
    );
    evidence.minSimilarity = identity.minSimilarity;
    if (identity.kind === 'changed') {
      findings.push({ reason: 'identity_changed', detail: identity.detail });
    }
  }
  return findings.length === 0 ? { verdict: 'live', evidence } : refuse(findings, evidence);
}

function refuse(findings: Finding[], evidence: ChallengeEvidence): ChallengeDecision {
  const sorted = [...findings].sort((a, b) => REFUSAL_REASONS.indexOf(a.reason) - REFUSAL_REASONS.indexOf(b.reason));
  const main = sorted[0]!;
  return { verdict: 'refused', reason: main.reason, detail: main.detail, findings: sorted, evidence };
}
