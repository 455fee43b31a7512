import { describe, expect, it } from 'vitest';
import { ARCFACE_TEMPLATE_112 } from '../../src/vision/align.js';
import { estimatePose } from '../../src/vision/pose.js';
import type { FivePoints, Point } from '../../src/vision/types.js';

const rotate = (pts: FivePoints, deg: number): FivePoints => {
  const a = (deg * Math.PI) / 180;
  return pts.map(([x, y]) => [x * Math.cos(a) - y * Math.sin(a), x * Math.sin(a) + y * Math.cos(a)]) as unknown as FivePoints;
};

describe('estimatePose', () => {
  it('reads a frontal template as zero pose', () => {
    const p = estimatePose(ARCFACE_TEMPLATE_112);
    expect(Math.abs(p.yaw)).toBeLessThan(2);
    expect(Math.abs(p.pitch)).toBeLessThan(1);
    expect(Math.abs(p.roll)).toBeLessThan(1);
  });

  it('measures in-plane rotation as roll, without leaking into yaw/pitch', () => {
    const p = estimatePose(rotate(ARCFACE_TEMPLATE_112, 25));
    expect(p.roll).toBeCloseTo(25 - 0.32, 0);
    expect(Math.abs(p.yaw)).toBeLessThan(2);
    expect(Math.abs(p.pitch)).toBeLessThan(1);
  });

  it('gives positive yaw when the nose moves to image right, negative when left', () => {
    const shifted = (dx: number): FivePoints =>
      ARCFACE_TEMPLATE_112.map((pt, i) => (i === 2 ? ([pt[0] + dx, pt[1]] as Point) : pt)) as unknown as FivePoints;
    expect(estimatePose(shifted(12)).yaw).toBeGreaterThan(20);
    expect(estimatePose(shifted(-12)).yaw).toBeLessThan(-20);
  });

  it('gives positive pitch when the nose rises towards the eyes', () => {
    const raised = ARCFACE_TEMPLATE_112.map((pt, i) => (i === 2 ? ([pt[0], pt[1] - 10] as Point) : pt)) as unknown as FivePoints;
    expect(estimatePose(raised).pitch).toBeGreaterThan(10);
  });
});
