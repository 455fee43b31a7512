// The 3D check on synthetic landmarks: a head (depths scaled 0.7-1.3x and
// varied point by point by up to 15% from the generic ones, 1 px jitter) turning in front of a 640x480 webcam, versus the
// same face printed on a flat or bent sheet turned the same way.
import { describe, expect, it } from 'vitest';
import { judgeMotion, motionEvidence } from '../../src/liveness/head-motion.js';
import { yawProxy } from '../../src/liveness/yaw-proxy.js';
import { createRng, headPoints, jitter, project, sheetPoints, type HeadShape, type Sheet } from './head-model.js';

const SHAPES: HeadShape[] = [
  { depthScale: 1, depthNoise: 0, seed: 1 },
  { depthScale: 0.7, depthNoise: 0.15, seed: 2 },
  { depthScale: 1.3, depthNoise: 0.15, seed: 3 },
  { depthScale: 0.85, depthNoise: 0.15, seed: 4 },
  { depthScale: 1, depthNoise: 0.15, seed: 5 },
];
const SHEETS: Sheet[] = [
  { kind: 'flat' },
  { kind: 'bent-vertical', radius: 500 },
  { kind: 'bent-vertical', radius: 300 },
  { kind: 'bent-horizontal', radius: 300 },
];
const rng = createRng(42);
const noisy = (p: Float64Array) => jitter(p, 1, rng);

describe('yaw proxy', () => {
  it('reaches the turn threshold for a head turned 25° and stays near 0 for a flat photo turned 40°', () => {
    for (const shape of SHAPES) {
      expect(yawProxy(project(headPoints({ yaw: 25 }, shape)))).toBeGreaterThan(0.45);
      expect(yawProxy(project(headPoints({ yaw: -25 }, shape)))).toBeLessThan(-0.45);
      expect(Math.abs(yawProxy(project(headPoints({ yaw: 0 }, shape))))).toBeLessThan(0.02);
    }
    for (const yaw of [-40, -20, 20, 40]) {
      expect(Math.abs(yawProxy(project(sheetPoints({ kind: 'flat' }, { yaw }))))).toBeLessThan(0.12);
    }
  });
});

describe('head or picture', () => {
  it('judges every head turned 20-35° a head (depths 0.7-1.3x the generic ones, ±15% per point)', () => {
    for (const shape of SHAPES) {
      const neutral = noisy(project(headPoints({ yaw: 0 }, shape)));
      const evidence = [20, -25, 35].map((yaw) => motionEvidence(neutral, noisy(project(headPoints({ yaw, pitch: 3 }, shape))))!);
      const v = judgeMotion(evidence);
      expect(v.kind, JSON.stringify({ shape, v })).toBe('head');
    }
  });

  it('judges flat and bent sheets turned up to 40° pictures', () => {
    for (const sheet of SHEETS) {
      const neutral = noisy(project(sheetPoints(sheet, { yaw: 0 })));
      const evidence = [25, -40, 40].map((yaw) => motionEvidence(neutral, noisy(project(sheetPoints(sheet, { yaw, pitch: 3 }))))!);
      const v = judgeMotion(evidence);
      expect(v.kind, JSON.stringify({ sheet, v })).toBe('planar');
    }
  });

  it('tells why: a flat sheet by its homography residual, a bent one by its depth ratio', () => {
    const flat = noisy(project(sheetPoints({ kind: 'flat' }, { yaw: 0 })));
    const vFlat = judgeMotion([motionEvidence(flat, noisy(project(sheetPoints({ kind: 'flat' }, { yaw: 40 }))))!]);
    expect(vFlat).toMatchObject({ kind: 'planar', why: 'homography' });
    const bent: Sheet = { kind: 'bent-vertical', radius: 300 };
    const b0 = project(sheetPoints(bent, { yaw: 0 }));
    const vBent = judgeMotion([motionEvidence(b0, project(sheetPoints(bent, { yaw: 40 })))!]);
    expect(vBent).toMatchObject({ kind: 'planar', why: 'depth' });
    expect(vBent.homographyResidual).toBeGreaterThan(0.04); // as large as a head's: the homography alone would pass it
  });

  it('has nothing to judge without turned frames', () => {
    expect(judgeMotion([])).toMatchObject({ kind: 'planar', why: 'homography' });
  });
});
