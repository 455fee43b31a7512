// A yaw proxy from the 68 landmarks: where the nose tip sits between the two
// ends of the jaw line, -1 (at the image-left end) .. 1 (at the image-right
// end), 0 when frontal. A real head turned ~35° reaches about ±0.7 (the nose
// is ~90 mm in front of the jaw-line ends); a photo turned in front of the
// camera keeps its printed ratio up to perspective (measured within ±0.12,
// issue 15). Positive = nose towards image right = the face turned to the
// person's left, the same sign as FaceQuality.yaw.
import { JAW_LEFT, JAW_RIGHT, NOSE_TIP, px, type Landmarks68 } from './landmarks.js';

export function yawProxy(p: Landmarks68): number {
  const left = px(p, JAW_LEFT);
  const right = px(p, JAW_RIGHT);
  const half = (right - left) / 2;
  if (!(half > 0)) {
    return 0; // degenerate (a face seen edge-on or wrong points): no turn can be read
  }
  const v = (px(p, NOSE_TIP) - (left + half)) / half;
  return Math.max(-1, Math.min(1, v));
}
