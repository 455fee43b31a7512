// The local problems of the shortlist classifier. At recognition time a face is only ever
// judged between the few identities nearest to it (the cosine shortlist), so employee e's
// machine only needs to separate e from the people it can be confused with: its nearest
// identities by centroid cosine, represented by their templates closest to e ("hard
// negatives"), plus a few random templates from everyone else so the machine also says "no"
// to faces far from e. Each problem has O(templates x neighbours) rows whatever the gallery
// size, which is what makes training linear in the number of employees.
import type { Rng } from '../../math/seeded-random.js';
import { dotRows, normaliseInPlace } from '../svm/vectors.js';
import type { LinearProblem } from './linear-svm.js';

export interface ClassRows {
  /** Unit rows, row-major. */
  rows: Float32Array;
  dim: number;
  /** Row indices of each class. */
  members: Int32Array[];
}

export interface LocalProblemOptions {
  /** Nearest identities whose templates are the hard negatives. */
  neighbours: number;
  /** Templates taken from each neighbour (those nearest to the class centroid). */
  hardPerNeighbour: number;
  /** Templates drawn at random from the other identities. */
  randomNegatives: number;
}

export const DEFAULT_LOCAL: LocalProblemOptions = { neighbours: 12, hardPerNeighbour: 12, randomNegatives: 32 };

/** Unit mean direction of every class, row-major classes x dim. */
export function classCentroids(c: ClassRows): Float32Array {
  const { rows, dim, members } = c;
  const out = new Float32Array(members.length * dim);
  members.forEach((m, k) => {
    const acc = new Float64Array(dim);
    for (const r of m) {
      const o = r * dim;
      for (let j = 0; j < dim; j++) {
        acc[j] = (acc[j] as number) + (rows[o + j] as number);
      }
    }
    const v = out.subarray(k * dim, (k + 1) * dim);
    v.set(acc);
    normaliseInPlace(v);
  });
  return out;
}

/**
 * The `m` nearest classes of every class by centroid cosine (row-major k x m, -1 when there are
 * fewer). All pairs, in tiles of 64 x 64 centroids so each tile stays in cache: 5,000 classes are
 * 12.5 M dot products of 512 floats.
 */
export function nearestClasses(centroids: Float32Array, k: number, dim: number, m: number): Int32Array {
  const out = new Int32Array(k * m).fill(-1);
  const best = new Float64Array(k * m).fill(-Infinity);
  const offer = (a: number, b: number, s: number): void => {
    const o = a * m;
    if (s <= (best[o + m - 1] as number)) {
      return;
    }
    let i = m - 1;
    while (i > 0 && (best[o + i - 1] as number) < s) {
      best[o + i] = best[o + i - 1] as number;
      out[o + i] = out[o + i - 1] as number;
      i--;
    }
    best[o + i] = s;
    out[o + i] = b;
  };
  const TILE = 64;
  for (let a0 = 0; a0 < k; a0 += TILE) {
    const a1 = Math.min(k, a0 + TILE);
    for (let b0 = a0; b0 < k; b0 += TILE) {
      const b1 = Math.min(k, b0 + TILE);
      for (let a = a0; a < a1; a++) {
        for (let b = Math.max(b0, a + 1); b < b1; b++) {
          const s = dotRows(centroids, a, centroids, b, dim);
          offer(a, b, s);
          offer(b, a, s);
        }
      }
    }
  }
  return out;
}

/** Employee `c`'s problem: its templates (+1) against hard and random negatives (-1). */
export function localProblem(
  c: ClassRows,
  centroids: Float32Array,
  cls: number,
  neighbours: ArrayLike<number>,
  opts: LocalProblemOptions,
  rng: Rng,
): LinearProblem {
  const { rows, dim, members } = c;
  const own = members[cls] ?? new Int32Array(0);
  const index: number[] = [...own];
  const co = cls * dim;
  const near = new Set<number>([cls]);
  for (let t = 0; t < neighbours.length; t++) {
    const nb = neighbours[t] as number;
    if (nb < 0) {
      continue;
    }
    near.add(nb);
    const theirs = members[nb] ?? new Int32Array(0);
    if (theirs.length <= opts.hardPerNeighbour) {
      index.push(...theirs);
      continue;
    }
    // Their templates most similar to this employee: the ones a classifier must get right.
    const scored = Array.from(theirs, (r) => {
      let s = 0;
      const o = r * dim;
      for (let j = 0; j < dim; j++) {
        s += (centroids[co + j] as number) * (rows[o + j] as number);
      }
      return { r, s };
    }).sort((x, y) => y.s - x.s);
    for (let i = 0; i < opts.hardPerNeighbour; i++) {
      index.push((scored[i] as { r: number }).r);
    }
  }
  // Random far negatives: a bounded number of tries, so tiny galleries (everyone is a neighbour) end quickly.
  const k = members.length;
  for (let tries = 0, taken = 0; taken < opts.randomNegatives && tries < opts.randomNegatives * 4 && k > near.size; tries++) {
    const other = Math.floor(rng() * k);
    const theirs = members[other];
    if (near.has(other) || !theirs || theirs.length === 0) {
      continue;
    }
    index.push(theirs[Math.floor(rng() * theirs.length)] as number);
    taken++;
  }
  const y = new Int8Array(index.length).fill(-1);
  y.fill(1, 0, own.length);
  return { rows, dim, index: Int32Array.from(index), y };
}
