import { describe, expect, it } from 'vitest';
import { iou, nms } from '../../src/vision/nms.js';
import type { Box } from '../../src/vision/types.js';

describe('iou', () => {
  it('is 1 for identical boxes, 0 for disjoint, 1/7 for half-overlapping squares', () => {
    expect(iou([0, 0, 10, 10], [0, 0, 10, 10])).toBe(1);
    expect(iou([0, 0, 10, 10], [20, 20, 30, 30])).toBe(0);
    expect(iou([0, 0, 10, 10], [5, 0, 15, 10])).toBeCloseTo(50 / 150);
  });
});

describe('nms', () => {
  it('keeps the highest-scoring box of an overlapping cluster and separate boxes', () => {
    const boxes: Box[] = [
      [0, 0, 10, 10],
      [1, 1, 11, 11], // overlaps box 0 heavily
      [50, 50, 60, 60],
      [0, 0, 10, 10.5],
    ];
    const scores = [0.8, 0.95, 0.7, 0.9];
    expect(nms(boxes, scores, 0.4)).toEqual([1, 2]);
  });

  it('keeps a box whose overlap is at or below the threshold', () => {
    const boxes: Box[] = [
      [0, 0, 10, 10],
      [5, 0, 15, 10], // IoU 1/3
    ];
    expect(nms(boxes, [0.9, 0.8], 0.4)).toEqual([0, 1]);
    expect(nms(boxes, [0.9, 0.8], 0.3)).toEqual([0]);
  });

  it('returns indices ordered by score', () => {
    const boxes: Box[] = [
      [0, 0, 1, 1],
      [10, 10, 11, 11],
      [20, 20, 21, 21],
    ];
    expect(nms(boxes, [0.1, 0.9, 0.5], 0.4)).toEqual([1, 2, 0]);
  });
});
