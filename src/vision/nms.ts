// Greedy non-maximum suppression, highest score first (the order the
// faceplugin recipe and SCRFD both use). Pure math: no OpenCV.
import type { Box } from './types.js';

export function iou(a: Box, b: Box): number {
  const ix = Math.max(0, Math.min(a[2], b[2]) - Math.max(a[0], b[0]));
  const iy = Math.max(0, Math.min(a[3], b[3]) - Math.max(a[1], b[1]));
  const inter = ix * iy;
  if (inter <= 0) {
    return 0;
  }
  const areaA = Math.max(0, a[2] - a[0]) * Math.max(0, a[3] - a[1]);
  const areaB = Math.max(0, b[2] - b[0]) * Math.max(0, b[3] - b[1]);
  return inter / (areaA + areaB - inter);
}

/**
 * Indices of the kept boxes, by descending score. A box is dropped when its
 * IoU with an already kept box is above `iouThreshold`.
 */
export function nms(boxes: readonly Box[], scores: ArrayLike<number>, iouThreshold: number): number[] {
  const order = boxes.map((_, i) => i).sort((i, j) => (scores[j] ?? 0) - (scores[i] ?? 0));
  const kept: number[] = [];
  const suppressed = new Uint8Array(boxes.length);
  for (let oi = 0; oi < order.length; oi++) {
    const i = order[oi]!;
    if (suppressed[i]) {
      continue;
    }
    kept.push(i);
    const bi = boxes[i]!;
    for (let oj = oi + 1; oj < order.length; oj++) {
      const j = order[oj]!;
      if (!suppressed[j] && iou(bi, boxes[j]!) > iouThreshold) {
        suppressed[j] = 1;
      }
    }
  }
  return kept;
}
