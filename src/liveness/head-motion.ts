// Does a turn look like a head or like a picture? Two fits of the landmarks
// from the neutral (frontal) frame to a turned frame, both with 8 degrees of
// freedom:
// - a homography: exact for a flat photo turned in any way (perspective
//   included); its residual is the planarity measure. A flat photo stays
//   within landmark noise (<= 0.04 eye spans measured on printed shared faces
//   turned 40°); a head turned 20° leaves ~0.06.
// - an affine camera applied to (x, y, generic depth): exact (up to
//   perspective) for a rigid head whose depths follow GENERIC_DEPTH.
// A strongly bent photo, or a photo whose nose is warped sideways, can leave
// a homography residual as large as a head's, but its points do not move the
// way a head's depths make them move: the depth fit then explains little
// more than the homography (ratio >= 0.59 on every such sequence measured on
// the shared faces), while a head's ratio is 0.2-0.52 (synthetic heads with
// depths 0.7-1.3x the generic ones and ±15% per point; with ±30% per point it
// reaches 0.65). The margin is thin, and no real head video was at hand to
// measure it on: see the README's liveness section.
import { median } from '../math/median.js';
import { GENERIC_DEPTH } from './face-depth.js';
import { fitHomography, rms, solveLinear, transferErrors } from './homography.js';
import { eyeSpan, LANDMARK_COUNT, px, py, range, type Landmarks68 } from './landmarks.js';

const ALL = range(0, LANDMARK_COUNT);

export interface MotionEvidence {
  /** RMS distance of the turned frame's points from the best homography of the neutral ones, in eye spans. */
  homographyResidual: number;
  /** The same for the best affine camera on (x, y, generic depth). */
  depthResidual: number;
  /** depthResidual / homographyResidual: low for a head, near 1 for a picture. */
  ratio: number;
}

/** Residual (eye spans) of the least-squares fit cur ~ affine(x, y, z) of the neutral points. */
function depthFitResidual(neutral: Landmarks68, cur: Landmarks68): number {
  const s = eyeSpan(neutral);
  let cx = 0;
  let cy = 0;
  for (const i of ALL) {
    cx += px(neutral, i);
    cy += py(neutral, i);
  }
  cx /= LANDMARK_COUNT;
  cy /= LANDMARK_COUNT;
  const rows = ALL.map((i) => [(px(neutral, i) - cx) / s, (py(neutral, i) - cy) / s, GENERIC_DEPTH[i]!, 1]);
  const predicted: number[][] = [];
  for (const read of [px, py]) {
    const ata = Array.from({ length: 4 }, () => [0, 0, 0, 0]);
    const atb = [0, 0, 0, 0];
    ALL.forEach((i, k) => {
      const r = rows[k]!;
      const t = read(cur, i);
      for (let a = 0; a < 4; a++) {
        atb[a]! += r[a]! * t;
        for (let b = 0; b < 4; b++) {
          ata[a]![b]! += r[a]! * r[b]!;
        }
      }
    });
    const sol = solveLinear(ata, atb);
    if (!sol) {
      return Infinity;
    }
    predicted.push(rows.map((r) => r[0]! * sol[0]! + r[1]! * sol[1]! + r[2]! * sol[2]! + sol[3]!));
  }
  const errors = ALL.map((i, k) => Math.hypot(predicted[0]![k]! - px(cur, i), predicted[1]![k]! - py(cur, i)));
  return rms(errors) / eyeSpan(cur);
}

/** Evidence from one turned frame against the neutral one; undefined when a fit is degenerate. */
export function motionEvidence(neutral: Landmarks68, turned: Landmarks68): MotionEvidence | undefined {
  const h = fitHomography(neutral, turned);
  if (!h) {
    return undefined;
  }
  const homographyResidual = rms(transferErrors(h, neutral, turned, ALL)) / eyeSpan(turned);
  const depthResidual = depthFitResidual(neutral, turned);
  if (!Number.isFinite(homographyResidual) || !Number.isFinite(depthResidual)) {
    return undefined;
  }
  return { homographyResidual, depthResidual, ratio: depthResidual / Math.max(homographyResidual, 1e-9) };
}

export interface MotionThresholds {
  /** Below this homography residual (eye spans) the turned face moved like a flat sheet. */
  minHomographyResidual: number;
  /** Above this depth/homography ratio the motion is not a head's. */
  maxDepthRatio: number;
}

export const DEFAULT_MOTION_THRESHOLDS: MotionThresholds = { minHomographyResidual: 0.04, maxDepthRatio: 0.55 };

export type MotionVerdict =
  | { kind: 'head'; homographyResidual: number; ratio: number }
  | { kind: 'planar'; why: 'homography' | 'depth'; homographyResidual: number; ratio: number; detail: string };

/**
 * Judges the turned frames (one or more, typically the peak of each turn): the largest homography
 * residual must clear the flat-sheet level, and the median depth ratio must look like a head.
 */
export function judgeMotion(evidence: readonly MotionEvidence[], t: MotionThresholds = DEFAULT_MOTION_THRESHOLDS): MotionVerdict {
  const homographyResidual = Math.max(0, ...evidence.map((e) => e.homographyResidual));
  const ratio = median(evidence.map((e) => e.ratio));
  if (evidence.length === 0 || homographyResidual < t.minHomographyResidual) {
    return {
      kind: 'planar',
      why: 'homography',
      homographyResidual,
      ratio,
      detail: `the landmarks stayed on a plane while turning (residual ${homographyResidual.toFixed(3)} < ${t.minHomographyResidual} eye spans)`,
    };
  }
  if (!(ratio <= t.maxDepthRatio)) {
    return {
      kind: 'planar',
      why: 'depth',
      homographyResidual,
      ratio,
      detail: `the landmarks moved like a bent or warped picture, not a head (depth fit ratio ${ratio.toFixed(2)} > ${t.maxDepthRatio})`,
    };
  }
  return { kind: 'head', homographyResidual, ratio };
}
