// Exact float scores of queries against gallery rows, in plain JS. Used for whole scans of small
// galleries (in the calling thread: below ~2k rows it costs < 1 ms and no message round trip)
// and, in the search lanes, to re-score the few candidates the int8 pass leaves.
import { dotAt } from '../math/dot.js';

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
