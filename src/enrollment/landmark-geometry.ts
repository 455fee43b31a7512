// Plausibility of the five landmarks as a face, used as an occlusion signal.
//
// What is measured: the points are expressed in an eye-aligned frame (origin
// between the eyes, unit = inter-ocular distance d, y pointing down the face).
// On the 112x112 ArcFace template a frontal face has the nose tip at y≈0.57,
// the mouth at y≈1.16 and a mouth width of ≈0.92 d. Turning by ±40° shrinks d
// to ~0.77 of its size (ratios grow ~1.3x) and shifts the nose sideways by up
// to ~0.5 d, and nodding by ±25° scales the vertical ratios by ~0.9, so the
// accepted ranges below are generous. When a hand, mask, scarf or microphone
// hides part of the face the landmark model still returns five points but
// tends to put the mouth on the nose or the nose off the face: those shapes
// fall outside the ranges. This is a weak signal (an occluder the landmark
// model "sees through" passes); the detector score is the other one
// (frame-feedback.ts), and the engine's own 'occluded' issue is honoured too.
import type { FivePoints, Point } from '../vision/types.js';

export interface LandmarkRanges {
  noseY: readonly [number, number];
  mouthY: readonly [number, number];
  /** Mouth must be at least this far below the nose. */
  mouthBelowNose: number;
  mouthWidth: readonly [number, number];
  /** |x| of the nose and of the mouth centre. */
  maxOffsetX: number;
}

export const DEFAULT_LANDMARK_RANGES: LandmarkRanges = {
  noseY: [0.15, 1.3],
  mouthY: [0.6, 2.2],
  mouthBelowNose: 0.12,
  mouthWidth: [0.45, 1.6],
  maxOffsetX: 0.9,
};

export interface LandmarkShape {
  eyeDistance: number;
  noseX: number;
  noseY: number;
  mouthX: number;
  mouthY: number;
  mouthWidth: number;
}

export function landmarkShape(points: FivePoints): LandmarkShape {
  const [le, re, nose, lm, rm] = points;
  const ex = re[0] - le[0];
  const ey = re[1] - le[1];
  const d = Math.hypot(ex, ey);
  const mid: Point = [(le[0] + re[0]) / 2, (le[1] + re[1]) / 2];
  const safe = d > 1e-6 ? d : 1e-6;
  // u along the eye line, v perpendicular pointing down the face (image y grows downwards).
  const ux = ex / safe;
  const uy = ey / safe;
  const local = (p: Point): [number, number] => {
    const px = p[0] - mid[0];
    const py = p[1] - mid[1];
    return [(px * ux + py * uy) / safe, (-px * uy + py * ux) / safe];
  };
  const [noseX, noseY] = local(nose);
  const [lmx, lmy] = local(lm);
  const [rmx, rmy] = local(rm);
  return {
    eyeDistance: d,
    noseX,
    noseY,
    mouthX: (lmx + rmx) / 2,
    mouthY: (lmy + rmy) / 2,
    mouthWidth: Math.hypot(rmx - lmx, rmy - lmy),
  };
}

const within = (v: number, [lo, hi]: readonly [number, number]): boolean => v >= lo && v <= hi;

/** True when the five points are shaped like a face (see the ranges above). */
export function isPlausibleFace(points: FivePoints, ranges: LandmarkRanges = DEFAULT_LANDMARK_RANGES): boolean {
  const s = landmarkShape(points);
  return (
    s.eyeDistance > 1 &&
    within(s.noseY, ranges.noseY) &&
    within(s.mouthY, ranges.mouthY) &&
    s.mouthY - s.noseY >= ranges.mouthBelowNose &&
    within(s.mouthWidth, ranges.mouthWidth) &&
    Math.abs(s.noseX) <= ranges.maxOffsetX &&
    Math.abs(s.mouthX) <= ranges.maxOffsetX
  );
}
