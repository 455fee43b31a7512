// Small box maths for tracking: boxes are [x1, y1, x2, y2] in pixels.
import type { Box } from '../vision/types.js';

export function boxArea(b: Box): number {
  return Math.max(0, b[2] - b[0]) * Math.max(0, b[3] - b[1]);
}

export function iou(a: Box, b: Box): number {
  const w = Math.min(a[2], b[2]) - Math.max(a[0], b[0]);
  const h = Math.min(a[3], b[3]) - Math.max(a[1], b[1]);
  if (w <= 0 || h <= 0) {
    return 0;
  }
  const inter = w * h;
  return inter / (boxArea(a) + boxArea(b) - inter);
}

export function centre(b: Box): readonly [number, number] {
  return [(b[0] + b[2]) / 2, (b[1] + b[3]) / 2];
}

/** Mean side length, the scale against which centroid distances are judged. */
export function boxSize(b: Box): number {
  return (Math.max(0, b[2] - b[0]) + Math.max(0, b[3] - b[1])) / 2;
}

export function centreDistance(a: Box, b: Box): number {
  const [ax, ay] = centre(a);
  const [bx, by] = centre(b);
  return Math.hypot(ax - bx, ay - by);
}
