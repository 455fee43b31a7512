// Synthetic face-like embeddings for tests and the benchmark: class centres share a common
// direction (faces are not orthogonal: inter-class cosine ~0.1-0.3) and samples scatter around
// their centre (intra-class cosine ~0.6-0.8, as for real faces under pose and light changes).
import { createRng, type Rng } from '../../math/seeded-random.js';
import type { TrainingSet } from './types.js';
import { normaliseInPlace } from './vectors.js';

export interface SyntheticOptions {
  classes: number;
  perClass: number;
  dim?: number;
  /** Expected cosine between two samples of one class. */
  intraCos?: number;
  /** Expected cosine between two class centres. */
  interCos?: number;
  seed?: number;
  /** First employee id; classes get consecutive ids. */
  firstId?: number;
}

function gaussian(rng: Rng): number {
  const u = Math.max(rng(), 1e-12);
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * rng());
}

function randomUnit(dim: number, rng: Rng): Float32Array {
  const v = new Float32Array(dim);
  for (let k = 0; k < dim; k++) {
    v[k] = gaussian(rng);
  }
  return normaliseInPlace(v);
}

/** Adds `scale` x a random unit vector to a copy of `base` and renormalises: cos(result, base) = 1 / sqrt(1 + scale^2). */
function perturb(base: Float32Array, scale: number, rng: Rng): Float32Array {
  const noise = randomUnit(base.length, rng);
  const out = new Float32Array(base.length);
  for (let k = 0; k < base.length; k++) {
    out[k] = (base[k] as number) + scale * (noise[k] as number);
  }
  return normaliseInPlace(out);
}

export function syntheticCentres(opts: SyntheticOptions): Float32Array[] {
  const dim = opts.dim ?? 512;
  const rng = createRng(opts.seed ?? 7);
  const interCos = opts.interCos ?? 0.15;
  const shared = randomUnit(dim, rng);
  // cos(c_i, c_j) = 1 / (1 + s^2) for c = normalise(shared + s * random).
  const s = Math.sqrt(1 / interCos - 1);
  return Array.from({ length: opts.classes }, () => perturb(shared, s, rng));
}

export function syntheticTrainingSet(opts: SyntheticOptions & { modelId?: string }): TrainingSet {
  const rng = createRng((opts.seed ?? 7) + 1);
  const centres = syntheticCentres(opts);
  const intraCos = opts.intraCos ?? 0.7;
  // Two samples at cos 1/sqrt(1+t^2) from the centre meet at ~1/(1+t^2).
  const scale = Math.sqrt(1 / intraCos - 1);
  const vectors: Float32Array[] = [];
  const labels: number[] = [];
  const qualities: number[] = [];
  centres.forEach((centre, c) => {
    for (let i = 0; i < opts.perClass; i++) {
      // Some samples are worse than others, like real captures.
      const jitter = 0.8 + 0.4 * rng();
      vectors.push(perturb(centre, scale * jitter, rng));
      labels.push((opts.firstId ?? 1) + c);
      qualities.push(1.2 - jitter);
    }
  });
  return { vectors, labels, qualities, modelId: opts.modelId ?? 'synthetic' };
}

/** A fresh sample of class `c` (for held-out prediction checks). */
export function syntheticProbe(opts: SyntheticOptions, c: number, seed: number): Float32Array {
  const centre = syntheticCentres(opts)[c];
  if (!centre) {
    throw new RangeError(`no class ${c}`);
  }
  return perturb(centre, Math.sqrt(1 / (opts.intraCos ?? 0.7) - 1), createRng(seed));
}

/**
 * `perClass` fresh samples of each class in `classes` (centres computed once: syntheticProbe
 * recomputes them per call, too slow for thousands of classes). Classes at or beyond
 * `opts.classes` are people who were never enrolled (strangers), from the same generator.
 */
export function syntheticProbes(
  opts: SyntheticOptions,
  classes: readonly number[],
  perClass: number,
  seed: number,
): { c: number; employeeId: number; x: Float32Array }[] {
  const total = Math.max(opts.classes, ...classes.map((c) => c + 1));
  const centres = syntheticCentres({ ...opts, classes: total });
  const scale = Math.sqrt(1 / (opts.intraCos ?? 0.7) - 1);
  const rng = createRng(seed);
  return classes.flatMap((c) =>
    Array.from({ length: perClass }, () => ({ c, employeeId: (opts.firstId ?? 1) + c, x: perturb(centres[c] as Float32Array, scale, rng) })),
  );
}
