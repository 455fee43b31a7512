// The 68 iBUG landmarks of one face as a flat [x0, y0, x1, y1, ...] array in
// image pixels (what the faceplugin landmark model gives). Indices used by the
// liveness checks are named here once.
export type Landmarks68 = Float64Array;

export const LANDMARK_COUNT = 68;

/** Jaw line ends (near the ears; image left, image right). */
export const JAW_LEFT = 0;
export const JAW_RIGHT = 16;
export const NOSE_TIP = 30;
/** Outer eye corners (image left, image right). */
export const EYE_OUTER_LEFT = 36;
export const EYE_OUTER_RIGHT = 45;

export function range(from: number, to: number): number[] {
  return Array.from({ length: to - from }, (_, i) => from + i);
}

export function isLandmarks68(points: ArrayLike<number>): boolean {
  if (points.length !== 2 * LANDMARK_COUNT) {
    return false;
  }
  for (let i = 0; i < points.length; i++) {
    if (!Number.isFinite(points[i])) {
      return false;
    }
  }
  return true;
}

export const px = (p: Landmarks68, i: number): number => p[2 * i]!;
export const py = (p: Landmarks68, i: number): number => p[2 * i + 1]!;

/** Distance between the outer eye corners: the scale every residual is measured in. */
export function eyeSpan(p: Landmarks68): number {
  return Math.hypot(px(p, EYE_OUTER_RIGHT) - px(p, EYE_OUTER_LEFT), py(p, EYE_OUTER_RIGHT) - py(p, EYE_OUTER_LEFT));
}
