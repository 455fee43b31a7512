// Exact float scores of queries against gallery rows, in plain JS. Used for whole scans of small
// galleries (in the calling thread: below ~2k rows it costs < 1 ms and no message round trip)
// and, in the search lanes, to re-score the few candidates the int8 pass leaves.

/** Scores of `nq` packed unit queries against rows [0, count) of a row-major block: out[b * count + r]. */
export function exactBlockScores(queries: Float32Array, nq: number, dim: number, f32: Float32Array, count: number): Float64Array {
  const out = new Float64Array(nq * count);
  for (let b = 0; b < nq; b++) {
    const qo = b * dim;
    for (let r = 0; r < count; r++) {
      out[b * count + r] = dotAt(queries, qo, f32, r * dim, dim);
    }
  }
  return out;
}

/** x[xo..xo+dim) . y[yo..yo+dim), four accumulators (breaks V8's add dependency chain, ~2x). */
export function dotAt(x: Float32Array, xo: number, y: Float32Array, yo: number, dim: number): number {
  let s0 = 0;
  let s1 = 0;
  let s2 = 0;
  let s3 = 0;
  let j = 0;
  for (; j + 3 < dim; j += 4) {
    s0 += x[xo + j]! * y[yo + j]!;
    s1 += x[xo + j + 1]! * y[yo + j + 1]!;
    s2 += x[xo + j + 2]! * y[yo + j + 2]!;
    s3 += x[xo + j + 3]! * y[yo + j + 3]!;
  }
  for (; j < dim; j++) {
    s0 += x[xo + j]! * y[yo + j]!;
  }
  return s0 + s1 + s2 + s3;
}
