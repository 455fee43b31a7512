// Small vector helpers for L2-normalised embeddings.

/** Dot product; equals the cosine for unit vectors. Lengths must match. */
export function dot(a: Float32Array, b: Float32Array): number {
  if (a.length !== b.length) {
    throw new RangeError(`embedding sizes differ: ${a.length} vs ${b.length}`);
  }
  let s = 0;
  for (let i = 0; i < a.length; i++) {
    s += (a[i] ?? 0) * (b[i] ?? 0);
  }
  return s;
}

export function norm(a: Float32Array): number {
  return Math.sqrt(dot(a, a));
}

/** Cosine similarity, safe for vectors that are not normalised. */
export function cosine(a: Float32Array, b: Float32Array): number {
  const n = norm(a) * norm(b);
  return n === 0 ? 0 : dot(a, b) / n;
}

export function l2normalize(a: Float32Array): Float32Array {
  const n = norm(a);
  const out = new Float32Array(a.length);
  if (n === 0) {
    return out;
  }
  for (let i = 0; i < a.length; i++) {
    out[i] = (a[i] ?? 0) / n;
  }
  return out;
}

/** L2-normalised mean of the vectors (the "mean template"); undefined for an empty list. */
export function normalizedMean(vectors: readonly Float32Array[]): Float32Array | undefined {
  const [first] = vectors;
  if (first === undefined) {
    return undefined;
  }
  const sum = new Float32Array(first.length);
  for (const v of vectors) {
    if (v.length !== sum.length) {
      throw new RangeError(`embedding sizes differ: ${v.length} vs ${sum.length}`);
    }
    for (let i = 0; i < v.length; i++) {
      sum[i] = (sum[i] ?? 0) + (v[i] ?? 0);
    }
  }
  return l2normalize(sum);
}
