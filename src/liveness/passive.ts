// The passive verdict over one or more frames of the same face: the median of
// fr_liveness.onnx's P(live), against LIVENESS_THRESHOLD. One frame's score
// swings with the face box (a back-lit live sample: 0.01..0.54 when the box
// moves 5%), so live tracks and challenges decide on the median of many.
import { median } from '../math/median.js';

/** LIVENESS_THRESHOLD's default: every live webcam frame passed, 1 of 174 attacks got through (issue 15). */
export const DEFAULT_LIVENESS_THRESHOLD = 0.05;

export interface PassiveVerdict {
  /** Median P(live), 0..1. */
  score: number;
  live: boolean;
  frames: number;
}

export function judgePassive(scores: readonly number[], threshold = DEFAULT_LIVENESS_THRESHOLD): PassiveVerdict {
  const valid = scores.filter((s) => Number.isFinite(s));
  if (valid.length === 0) {
    return { score: NaN, live: false, frames: 0 };
  }
  const score = median(valid);
  return { score, live: score >= threshold, frames: valid.length };
}
