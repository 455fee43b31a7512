// Computes the scores of B queries against one block of templates. Two
// implementations: plain JS (synchronous, for small galleries: no session, a
// 1k x 512 gallery is ~0.3 ms) and ONNX Runtime's MatMul (gallery-ort-scorer.ts).
import type { Block } from './gallery-blocks.js';
import type { Scores } from './gallery-reduce.js';

export interface BlockScores {
  /** Score of query b against column c at data[b * stride + c]. */
  data: Scores;
  stride: number;
}

export interface BlockScorer {
  readonly kind: 'js' | 'ort';
  /** queries: nq * dim floats, row-major. Reads columns 0..count-1 of the block. */
  score(queries: Float32Array, nq: number, dim: number, block: Block, count: number): BlockScores | Promise<BlockScores>;
}

/**
 * Plain JS dot products, walking the transposed block four template
 * components at a time (sequential memory, float64 sums): 4x faster than one
 * component per pass because the score array is read and written 4x less.
 */
export const jsScorer: BlockScorer = {
  kind: 'js',
  score(queries, nq, dim, block, count) {
    const out = new Float64Array(nq * count);
    const { data, cap } = block;
    const dim4 = dim - (dim % 4);
    for (let b = 0; b < nq; b++) {
      const o = b * count;
      const qo = b * dim;
      let j = 0;
      for (; j < dim4; j += 4) {
        const q0 = queries[qo + j]!;
        const q1 = queries[qo + j + 1]!;
        const q2 = queries[qo + j + 2]!;
        const q3 = queries[qo + j + 3]!;
        const r0 = j * cap;
        const r1 = r0 + cap;
        const r2 = r1 + cap;
        const r3 = r2 + cap;
        for (let c = 0; c < count; c++) {
          out[o + c]! += q0 * data[r0 + c]! + q1 * data[r1 + c]! + q2 * data[r2 + c]! + q3 * data[r3 + c]!;
        }
      }
      for (; j < dim; j++) {
        const qj = queries[qo + j]!;
        const r = j * cap;
        for (let c = 0; c < count; c++) {
          out[o + c]! += qj * data[r + c]!;
        }
      }
    }
    return { data: out, stride: count };
  },
};
