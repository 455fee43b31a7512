// Caps templates per employee (SVM_MAX_TEMPLATES_PER_EMPLOYEE) keeping the most diverse ones:
// farthest-point sampling on cosine distance, started from the most typical template and,
// when qualities are known, weighted by quality so that blurred outliers are not "diverse" winners.
import { dotRows } from './vectors.js';

/** Returns the kept global indices, ascending. `rows` are unit vectors (n x dim). */
export function selectTemplates(
  rows: Float32Array,
  dim: number,
  classOf: Int32Array,
  classCount: number,
  maxPerClass: number,
  qualities?: readonly number[],
): Int32Array {
  const kept: number[] = [];
  const byClass: number[][] = Array.from({ length: classCount }, () => []);
  classOf.forEach((c, i) => byClass[c]?.push(i));
  for (const members of byClass) {
    if (members.length <= maxPerClass) {
      kept.push(...members);
    } else {
      kept.push(...farthestPoints(rows, dim, members, maxPerClass, qualities));
    }
  }
  return Int32Array.from(kept.sort((a, b) => a - b));
}

function farthestPoints(rows: Float32Array, dim: number, members: number[], count: number, qualities?: readonly number[]): number[] {
  const m = members.length;
  const weight = (r: number): number => {
    const q = qualities?.[members[r] as number];
    return q === undefined ? 1 : 0.25 + 0.75 * Math.min(1, Math.max(0, q));
  };
  // Start: the template closest to the class mean direction (the most typical face), times its quality.
  const sums = new Float64Array(m);
  for (let r = 0; r < m; r++) {
    for (let s = r + 1; s < m; s++) {
      const d = dotRows(rows, members[r] as number, rows, members[s] as number, dim);
      sums[r] = (sums[r] as number) + d;
      sums[s] = (sums[s] as number) + d;
    }
  }
  let first = 0;
  for (let r = 1; r < m; r++) {
    if ((sums[r] as number) * weight(r) > (sums[first] as number) * weight(first)) {
      first = r;
    }
  }
  const chosen = [first];
  const taken = new Uint8Array(m);
  taken[first] = 1;
  const minDist = new Float64Array(m).fill(Infinity);
  let last = first;
  while (chosen.length < count) {
    let next = -1;
    let bestScore = -Infinity;
    for (let r = 0; r < m; r++) {
      if (taken[r]) {
        continue;
      }
      const d = 1 - dotRows(rows, members[r] as number, rows, members[last] as number, dim);
      if (d < (minDist[r] as number)) {
        minDist[r] = d;
      }
      const score = (minDist[r] as number) * weight(r);
      if (score > bestScore) {
        bestScore = score;
        next = r;
      }
    }
    chosen.push(next);
    taken[next] = 1;
    last = next;
  }
  return chosen.map((r) => members[r] as number);
}
