// Seeded random unit vectors and a float64 brute-force search: the reference
// the gallery tests and the gallery benchmark compare against.
import { employeeId, type EmployeeId } from '../../src/domain/ids.js';
import { createRng } from '../../src/math/seeded-random.js';
import { syntheticProbes, syntheticTrainingSet } from '../../src/recognition/svm/synthetic-embeddings.js';
import type { GalleryRow } from '../../src/vision/gallery.js';

export { createRng as rng } from '../../src/math/seeded-random.js';

export function gaussian(rand: () => number): number {
  // Box-Muller; 1 - rand() avoids log(0).
  return Math.sqrt(-2 * Math.log(1 - rand())) * Math.cos(2 * Math.PI * rand());
}

export function randomUnit(rand: () => number, dim: number): Float32Array {
  const v = new Float32Array(dim);
  let s = 0;
  for (let j = 0; j < dim; j++) {
    v[j] = gaussian(rand);
    s += v[j]! * v[j]!;
  }
  const inv = 1 / Math.sqrt(s);
  for (let j = 0; j < dim; j++) {
    v[j]! *= inv;
  }
  return v;
}

/** A unit vector at cosine ~`cos` from `v` (v plus scaled orthogonal-ish noise). */
export function near(rand: () => number, v: Float32Array, cos: number): Float32Array {
  const noise = randomUnit(rand, v.length);
  let d = 0;
  for (let j = 0; j < v.length; j++) {
    d += noise[j]! * v[j]!;
  }
  const s = Math.sqrt(1 - cos * cos);
  const out = new Float32Array(v.length);
  let n = 0;
  for (let j = 0; j < v.length; j++) {
    out[j] = noise[j]! - d * v[j]!;
    n += out[j]! * out[j]!;
  }
  const inv = 1 / Math.sqrt(n);
  for (let j = 0; j < v.length; j++) {
    out[j] = cos * v[j]! + s * out[j]! * inv;
  }
  return out;
}

/** `n` random templates spread over `employees` employees (ids 1..employees). */
export function randomRows(rand: () => number, n: number, employees: number, dim: number): GalleryRow[] {
  return Array.from({ length: n }, (_, i) => ({
    employeeId: employeeId(1 + (i % employees)),
    embedding: randomUnit(rand, dim),
  }));
}

/**
 * Face-like templates (src/recognition/svm/synthetic-embeddings.ts): `employees` people of
 * `perEmployee` templates each, all people sharing a common direction (centres at cosine ~0.15,
 * templates of one person at ~0.7). Far harder for a coarse pass than random vectors: every
 * score sits in a narrow band, so many rows are near the best.
 */
export function faceLikeRows(employees: number, perEmployee: number, seed: number, dim = 512): GalleryRow[] {
  const set = syntheticTrainingSet({ classes: employees, perClass: perEmployee, dim, seed });
  return set.vectors.map((embedding, i) => ({ employeeId: employeeId(set.labels[i]!), embedding }));
}

/** Probes for faceLikeRows(employees, _, seed): fresh captures of enrolled people and of strangers. */
export function faceLikeProbes(employees: number, seed: number, enrolled: number, strangers: number, dim = 512): Float32Array[] {
  const rand = createRng(seed + 99);
  const known = Array.from({ length: enrolled }, () => Math.floor(rand() * employees));
  const unknown = Array.from({ length: strangers }, (_, i) => employees + i);
  return syntheticProbes({ classes: employees, perClass: 1, dim, seed }, [...known, ...unknown], 1, seed + 7).map((p) => p.x);
}

export function dot(a: Float32Array, b: Float32Array): number {
  let s = 0;
  for (let j = 0; j < a.length; j++) {
    s += a[j]! * b[j]!;
  }
  return s;
}

export interface Scored {
  index: number;
  employeeId: EmployeeId;
  score: number;
}

/** Every row's score, best first (ties: lower index first). */
export function bruteForce(rows: readonly GalleryRow[], q: Float32Array): Scored[] {
  return rows
    .map((r, index) => ({ index, employeeId: r.employeeId, score: dot(r.embedding, q) }))
    .sort((a, b) => b.score - a.score || a.index - b.index);
}

export function bruteForcePerEmployee(rows: readonly GalleryRow[], q: Float32Array): Scored[] {
  const best = new Map<number, Scored>();
  for (const s of bruteForce(rows, q)) {
    if (!best.has(s.employeeId)) {
      best.set(s.employeeId, s);
    }
  }
  return [...best.values()];
}
