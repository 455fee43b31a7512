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

/** Plain JS dot products, walking the transposed block row by row (sequential memory, float64 sums). */
export const jsScorer: BlockScorer = {
  kind: 'js',
  score(queries, nq, dim, block, count) {
    const out = new Float64Array(nq * count);
    const { data, cap } = block;
    for (let b = 0; b < nq; b++) {
      const o = b * count;
      for (let j = 0; j < dim; j++) {
        const qj = queries[b * dim + j]!;
        if (qj === 0) {
          continue;
        }
        const base = j * cap;
        for (let c = 0; c < count; c++) {
          out[o + c]! += qj * data[base + c]!;
        }
      }
    }
    return { data: out, stride: count };
  },
};
