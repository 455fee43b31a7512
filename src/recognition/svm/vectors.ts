// Packing and normalising embeddings: every kernel here assumes unit vectors (|x - y|^2 = 2 - 2 x.y).
import { dotAt } from '../../math/dot.js';

/** Row-major n x d copy of `vectors`, each row L2-normalised (a zero vector stays zero). */
export function packUnitRows(vectors: readonly Float32Array[], dim: number): Float32Array {
  const out = new Float32Array(vectors.length * dim);
  vectors.forEach((v, i) => {
    if (v.length !== dim) {
      throw new RangeError(`vector ${i} has length ${v.length}, expected ${dim}`);
    }
    out.set(v, i * dim);
    normaliseInPlace(out.subarray(i * dim, (i + 1) * dim));
  });
  return out;
}

export function normaliseInPlace(v: Float32Array): Float32Array {
  let s = 0;
  for (let k = 0; k < v.length; k++) {
    const x = v[k] as number;
    s += x * x;
  }
  if (s > 0) {
    const inv = 1 / Math.sqrt(s);
    for (let k = 0; k < v.length; k++) {
      v[k] = (v[k] as number) * inv;
    }
  }
  return v;
}

/** Dot product of row a of `x` and row b of `y` (both row-major with `dim` columns). */
export function dotRows(x: Float32Array, a: number, y: Float32Array, b: number, dim: number): number {
  return dotAt(x, a * dim, y, b * dim, dim);
}
