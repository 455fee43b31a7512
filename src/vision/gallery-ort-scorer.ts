// Gallery scores with ONNX Runtime: a one-node graph MatMul(q[B,d], G[d,cap])
// built at run time, with the block fed as an input tensor (no copy, no
// session rebuild when the gallery changes). Measured here for 100k x 512:
// ~7 ms per query on 2 intra-op threads vs ~70-115 ms for a JS loop.
// onnxruntime-node's run() is synchronous on the JS thread (it is only
// wrapped in setImmediate), so the gallery runs one block (<= 8192 templates,
// ~1 ms) per call and the event loop gets a turn between blocks.
import ort from 'onnxruntime-node';
import type { Block } from './gallery-blocks.js';
import type { BlockScorer, BlockScores } from './gallery-scorer.js';
import { encodeOnnxModel, OnnxType } from './onnx-builder.js';

export interface OrtScorerOptions {
  /** Intra-op threads; 2 by default (the search is memory-bound, more cores add little). */
  threads?: number;
}

export function buildGalleryMatMulModel(): Uint8Array {
  return encodeOnnxModel({
    name: 'gallery_scores',
    nodes: [{ opType: 'MatMul', inputs: ['q', 'g'], outputs: ['scores'] }],
    inputs: [
      { name: 'q', type: OnnxType.FLOAT, shape: ['batch', 'dim'] },
      { name: 'g', type: OnnxType.FLOAT, shape: ['dim', 'cap'] },
    ],
    outputs: [{ name: 'scores', type: OnnxType.FLOAT, shape: ['batch', 'cap'] }],
  });
}

export class OrtScorer implements BlockScorer {
  readonly kind = 'ort';

  private constructor(private readonly session: ort.InferenceSession) {}

  static async create(options: OrtScorerOptions = {}): Promise<OrtScorer> {
    const threads = options.threads ?? 2;
    const session = await ort.InferenceSession.create(buildGalleryMatMulModel(), {
      intraOpNumThreads: threads,
      interOpNumThreads: 1,
      executionMode: 'sequential',
      graphOptimizationLevel: 'all',
      // Idle spinning ORT threads steal the other core from the face engine (see STACK.md).
      extra: { session: { intra_op: { allow_spinning: '0' } } },
    });
    return new OrtScorer(session);
  }

  async score(queries: Float32Array, nq: number, dim: number, block: Block): Promise<BlockScores> {
    if (nq === 1) {
      return { data: await this.run(queries.subarray(0, dim), 1, dim, block), stride: block.cap };
    }
    // One run per query: MLAS packs the gallery operand when the query batch
    // is > 1, so a batch of 4 costs about as much as 4 single runs here, and
    // single runs keep each synchronous slice short.
    const out = new Float32Array(nq * block.cap);
    for (let b = 0; b < nq; b++) {
      out.set(await this.run(queries.subarray(b * dim, (b + 1) * dim), 1, dim, block), b * block.cap);
    }
    return { data: out, stride: block.cap };
  }

  private async run(queries: Float32Array, nq: number, dim: number, block: Block): Promise<Float32Array> {
    const out = await this.session.run({
      q: new ort.Tensor('float32', queries, [nq, dim]),
      g: new ort.Tensor('float32', block.data, [dim, block.cap]),
    });
    const scores = out.scores;
    if (!scores || !(scores.data instanceof Float32Array)) {
      throw new Error('gallery MatMul returned no float scores');
    }
    return scores.data;
  }

  async release(): Promise<void> {
    await this.session.release();
  }
}

let shared: Promise<OrtScorer> | undefined;

/** One process-wide session: runs are serialised on the JS thread anyway. */
export function sharedOrtScorer(): Promise<OrtScorer> {
  shared ??= OrtScorer.create().catch((error: unknown) => {
    shared = undefined;
    throw error;
  });
  return shared;
}
