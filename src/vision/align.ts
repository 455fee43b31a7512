// Face alignment math: five points from the 68-point iBUG layout, and the
// least-squares similarity transform (Umeyama) onto the ArcFace template.
import type { FivePoints, Point } from './types.js';

/** Row-major 2x3 affine matrix [a, b, tx, c, d, ty]: x' = a x + b y + tx, y' = c x + d y + ty. */
export type Affine = readonly [number, number, number, number, number, number];

/** The standard 112x112 ArcFace five-point template (InsightFace `arcface_dst`). */
export const ARCFACE_TEMPLATE_112: FivePoints = [
  [38.2946, 51.6963],
  [73.5318, 51.5014],
  [56.0252, 71.7366],
  [41.5493, 92.3655],
  [70.7299, 92.2041],
];

function mean(points: ArrayLike<number>, from: number, to: number): Point {
  let x = 0;
  let y = 0;
  for (let i = from; i <= to; i++) {
    x += points[2 * i]!;
    y += points[2 * i + 1]!;
  }
  const n = to - from + 1;
  return [x / n, y / n];
}

/**
 * Eyes = mean of the eye contours (36-41 image-left, 42-47 image-right), nose
 * tip 30, mouth corners 48 and 54. `points` is flat x,y pairs (136 numbers).
 */
export function fivePointsFrom68(points: ArrayLike<number>): FivePoints {
  if (points.length < 136) {
    throw new RangeError(`expected 68 points (136 numbers), got ${points.length}`);
  }
  return [
    mean(points, 36, 41),
    mean(points, 42, 47),
    [points[60]!, points[61]!],
    [points[96]!, points[97]!],
    [points[108]!, points[109]!],
  ];
}

/**
 * Least-squares similarity transform (rotation, uniform scale, translation,
 * no reflection) mapping `src` onto `dst`: Umeyama (1991). In 2-D the
 * optimum has a closed form: with centred points as complex numbers a, b the
 * best c = scale * e^(i*theta) is sum(conj(a) b) / sum(|a|^2).
 */
export function umeyama(src: readonly Point[], dst: readonly Point[]): Affine {
  const n = src.length;
  if (n < 2 || dst.length !== n) {
    throw new RangeError(`umeyama needs >= 2 matching point pairs, got ${n} and ${dst.length}`);
  }
  let msx = 0;
  let msy = 0;
  let mdx = 0;
  let mdy = 0;
  for (let i = 0; i < n; i++) {
    msx += src[i]![0];
    msy += src[i]![1];
    mdx += dst[i]![0];
    mdy += dst[i]![1];
  }
  msx /= n;
  msy /= n;
  mdx /= n;
  mdy /= n;
  let dot = 0;
  let cross = 0;
  let norm = 0;
  for (let i = 0; i < n; i++) {
    const ax = src[i]![0] - msx;
    const ay = src[i]![1] - msy;
    const bx = dst[i]![0] - mdx;
    const by = dst[i]![1] - mdy;
    dot += ax * bx + ay * by;
    cross += ax * by - ay * bx;
    norm += ax * ax + ay * ay;
  }
  if (norm === 0) {
    throw new RangeError('umeyama: source points are all identical');
  }
  const p = dot / norm;
  const q = cross / norm;
  return [p, -q, mdx - (p * msx - q * msy), q, p, mdy - (q * msx + p * msy)];
}

export function applyAffine(m: Affine, pt: Point): Point {
  return [m[0] * pt[0] + m[1] * pt[1] + m[2], m[3] * pt[0] + m[4] * pt[1] + m[5]];
}

export function invertAffine(m: Affine): Affine {
  const det = m[0] * m[4] - m[1] * m[3];
  if (det === 0) {
    throw new RangeError('invertAffine: singular matrix');
  }
  const a = m[4] / det;
  const b = -m[1] / det;
  const c = -m[3] / det;
  const d = m[0] / det;
  return [a, b, -(a * m[2] + b * m[5]), c, d, -(c * m[2] + d * m[5])];
}

/** Alignment transform from image points to the 112x112 template (scaled for other crop sizes). */
export function alignmentTransform(points: FivePoints, size = 112): Affine {
  const k = size / 112;
  const dst = ARCFACE_TEMPLATE_112.map(([x, y]) => [x * k, y * k] as const);
  return umeyama(points, dst);
}
