import { describe, expect, it } from 'vitest';
import { decodeScrfd, scrfdLayout } from '../../src/vision/scrfd-decode.js';

describe('scrfdLayout', () => {
  it('matches named outputs regardless of their order', () => {
    const names = ['bbox_8', 'score_16', 'kps_32', 'score_8', 'bbox_16', 'kps_8', 'score_32', 'bbox_32', 'kps_16'];
    const l = scrfdLayout(names);
    expect(l.strides).toEqual([8, 16, 32]);
    expect(l.anchorsPerLocation).toBe(2);
    expect(l.scores).toEqual(['score_8', 'score_16', 'score_32']);
    expect(l.boxes).toEqual(['bbox_8', 'bbox_16', 'bbox_32']);
    expect(l.keypoints).toEqual(['kps_8', 'kps_16', 'kps_32']);
  });

  it('falls back to position for numeric names (buffalo_l det_10g)', () => {
    const names = ['448', '471', '494', '451', '474', '497', '454', '477', '500'];
    const l = scrfdLayout(names);
    expect(l.scores).toEqual(['448', '471', '494']);
    expect(l.boxes).toEqual(['451', '474', '497']);
    expect(l.keypoints).toEqual(['454', '477', '500']);
  });

  it('knows the 6-output (no keypoints) and 15-output (5 strides) variants', () => {
    expect(scrfdLayout(['a', 'b', 'c', 'd', 'e', 'f']).hasKeypoints).toBe(false);
    const five = scrfdLayout(Array.from({ length: 15 }, (_, i) => String(i)));
    expect(five.strides).toEqual([8, 16, 32, 64, 128]);
    expect(five.anchorsPerLocation).toBe(1);
  });

  it('rejects other models', () => {
    expect(() => scrfdLayout(['output'])).toThrow(/not an SCRFD model/);
  });
});

describe('decodeScrfd', () => {
  it('decodes distance boxes and keypoints around the right anchor centre', () => {
    // 64x32 input, stride 8 -> 8x4 grid, 2 anchors per location = 64 anchors.
    const w = 64;
    const h = 32;
    const n = (w / 8) * (h / 8) * 2;
    const scores = new Float32Array(n);
    const boxes = new Float32Array(4 * n);
    const kps = new Float32Array(10 * n);
    // Location (col 3, row 2), second anchor: index (2*8+3)*2+1 = 39; centre (24, 16).
    const i = 39;
    scores[i] = 0.9;
    boxes.set([1, 0.5, 2, 1.5], 4 * i);
    kps.set([-0.5, -0.5, 0.5, -0.5, 0, 0, -0.25, 0.5, 0.25, 0.5], 10 * i);
    scores[0] = 0.3; // below threshold
    const out = decodeScrfd([{ stride: 8, scores, boxes, keypoints: kps }], w, h, 2, 0.5);
    expect(out).toHaveLength(1);
    expect(out[0]!.score).toBeCloseTo(0.9);
    expect(out[0]!.box).toEqual([16, 12, 40, 28]);
    expect(out[0]!.keypoints).toEqual([
      [20, 12],
      [28, 12],
      [24, 16],
      [22, 20],
      [26, 20],
    ]);
  });

  it('throws when an output is smaller than the grid', () => {
    expect(() =>
      decodeScrfd([{ stride: 8, scores: new Float32Array(3), boxes: new Float32Array(12) }], 64, 64, 2, 0.5),
    ).toThrow(RangeError);
  });
});
