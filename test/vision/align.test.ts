import { describe, expect, it } from 'vitest';
import {
  ARCFACE_TEMPLATE_112,
  alignmentTransform,
  applyAffine,
  fivePointsFrom68,
  invertAffine,
  umeyama,
} from '../../src/vision/align.js';
import type { FivePoints, Point } from '../../src/vision/types.js';

function similarity(scale: number, angleDeg: number, tx: number, ty: number) {
  const a = (angleDeg * Math.PI) / 180;
  const c = scale * Math.cos(a);
  const s = scale * Math.sin(a);
  return (p: Point): Point => [c * p[0] - s * p[1] + tx, s * p[0] + c * p[1] + ty];
}

describe('umeyama', () => {
  it('recovers a known similarity transform exactly', () => {
    const f = similarity(2.5, 30, 12, -7);
    const src = ARCFACE_TEMPLATE_112 as readonly Point[];
    const dst = src.map(f);
    const m = umeyama(src, dst);
    const a = (30 * Math.PI) / 180;
    expect(m[0]).toBeCloseTo(2.5 * Math.cos(a), 9);
    expect(m[1]).toBeCloseTo(-2.5 * Math.sin(a), 9);
    expect(m[2]).toBeCloseTo(12, 9);
    expect(m[3]).toBeCloseTo(2.5 * Math.sin(a), 9);
    expect(m[4]).toBeCloseTo(2.5 * Math.cos(a), 9);
    expect(m[5]).toBeCloseTo(-7, 9);
  });

  it('gives the least-squares fit under noise (residual smaller than any perturbed transform)', () => {
    const f = similarity(0.8, -12, 3, 4);
    const src: Point[] = [
      [0, 0],
      [10, 0],
      [5, 8],
      [1, 14],
      [9, 15],
    ];
    const noise = [0.3, -0.2, 0.1, 0.4, -0.3, 0.2, -0.1, -0.4, 0.2, 0.1];
    const dst = src.map((p, i) => {
      const q = f(p);
      return [q[0] + noise[2 * i]!, q[1] + noise[2 * i + 1]!] as Point;
    });
    const m = umeyama(src, dst);
    const residual = (mm: readonly number[]) =>
      src.reduce((acc, p, i) => {
        const x = mm[0]! * p[0] + mm[1]! * p[1] + mm[2]!;
        const y = mm[3]! * p[0] + mm[4]! * p[1] + mm[5]!;
        return acc + (x - dst[i]![0]) ** 2 + (y - dst[i]![1]) ** 2;
      }, 0);
    const best = residual(m);
    // Perturb each similarity parameter (p, q, tx, ty) both ways.
    for (let k = 0; k < 4; k++) {
      for (const eps of [1e-3, -1e-3]) {
        const d = [0, 0, 0, 0];
        d[k] = eps;
        const [p, q, tx, ty] = [m[0] + d[0]!, m[3] + d[1]!, m[2] + d[2]!, m[5] + d[3]!];
        expect(residual([p, -q, tx, q, p, ty])).toBeGreaterThan(best);
      }
    }
  });

  it('maps the template to itself with the identity', () => {
    const m = alignmentTransform(ARCFACE_TEMPLATE_112);
    expect(m[0]).toBeCloseTo(1, 9);
    expect(m[1]).toBeCloseTo(0, 9);
    expect(m[2]).toBeCloseTo(0, 9);
  });

  it('never reflects: mirrored points give a rotation, not a flip', () => {
    const src = ARCFACE_TEMPLATE_112 as readonly Point[];
    const mirrored = src.map(([x, y]) => [112 - x, y] as Point);
    const m = umeyama(src, mirrored);
    expect(m[0] * m[4] - m[1] * m[3]).toBeGreaterThan(0);
  });

  it('rejects degenerate input', () => {
    expect(() => umeyama([[1, 1]], [[2, 2]])).toThrow(RangeError);
    expect(() =>
      umeyama(
        [
          [1, 1],
          [1, 1],
        ],
        [
          [0, 0],
          [1, 1],
        ],
      ),
    ).toThrow(RangeError);
  });
});

describe('invertAffine / applyAffine', () => {
  it('round-trips a point', () => {
    const m = umeyama(ARCFACE_TEMPLATE_112, ARCFACE_TEMPLATE_112.map(similarity(3, 75, -40, 9)));
    const p: Point = [17, -3];
    const back = applyAffine(invertAffine(m), applyAffine(m, p));
    expect(back[0]).toBeCloseTo(17, 9);
    expect(back[1]).toBeCloseTo(-3, 9);
  });
});

describe('fivePointsFrom68', () => {
  it('averages the eye contours and picks nose tip and mouth corners', () => {
    const flat = new Float32Array(136);
    for (let i = 0; i < 68; i++) {
      flat[2 * i] = i;
      flat[2 * i + 1] = 100 + i;
    }
    const five: FivePoints = fivePointsFrom68(flat);
    expect(five[0]).toEqual([38.5, 138.5]);
    expect(five[1]).toEqual([44.5, 144.5]);
    expect(five[2]).toEqual([30, 130]);
    expect(five[3]).toEqual([48, 148]);
    expect(five[4]).toEqual([54, 154]);
  });
});
