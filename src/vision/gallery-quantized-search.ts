// The gallery search of the worker thread: an int8 pass over every row with ONNX Runtime's
// MatMulInteger (u8 x s8, MLAS' VNNI kernels), then an exact float re-scoring of the few rows
// the int8 scores cannot rule out. Why int8: a 100k x 512 search is memory-bound; float32 reads
// 200 MB per query (~7.5 ms here on 2 threads), int8 reads 50 MB (~1.9 ms).
//
// Exactness: with per-row scales, |approx - exact| <= eps for every row, eps computed from the
// scales (bound below). Every row among the true top-k (or every best row of the true top-k
// employees) has approx >= tau - 2 eps, tau being the k-th best approx score, so re-scoring those
// rows exactly gives the same answer as a brute-force float search.
//
// The int8 rows are this worker's own copy of the shared float blocks (ONNX Runtime does not
// accept SharedArrayBuffer memory), kept per block id and refreshed when rows were appended
// (count grew) or rewritten (the block's generation changed).
import ort from 'onnxruntime-node';
import { BestPerSlot, TopK } from './gallery-reduce.js';
import { dotAt } from './gallery-exact.js';
import type { GallerySearchResult, GallerySearchTask, SearchHit, SharedBlockView } from './gallery-search-protocol.js';
import { encodeOnnxModel, OnnxType } from './onnx-builder.js';

interface Mirror {
  q8: Uint8Array<ArrayBuffer>;
  /** Per row: 1 / scale (dequantisation factor) and the L1 norm of the dequantised row. */
  inv: Float32Array;
  l1: Float32Array;
  /** Largest inv and l1 over rows [0, rows): the error bound needs only these. */
  maxInv: number;
  maxL1: number;
  rows: number;
  generation: number;
  usedAt: number;
}

/** Mirrors of blocks no search has touched for this long are dropped (a replaced gallery's). */
const EVICT_AFTER_MS = 10 * 60_000;

export function buildInt8MatMulModel(dim: number): Uint8Array {
  return encodeOnnxModel({
    name: 'gallery_int8_scores',
    nodes: [{ opType: 'MatMulInteger', inputs: ['g', 'q'], outputs: ['scores'] }],
    inputs: [
      { name: 'g', type: OnnxType.UINT8, shape: ['rows', dim] },
      { name: 'q', type: OnnxType.INT8, shape: [dim, 'batch'] },
    ],
    outputs: [{ name: 'scores', type: OnnxType.INT32, shape: ['rows', 'batch'] }],
  });
}

export class QuantizedSearch {
  private readonly mirrors = new Map<number, Mirror>();
  private readonly sessions = new Map<number, Promise<ort.InferenceSession>>();

  constructor(private readonly threads = 2) {}

  private session(dim: number): Promise<ort.InferenceSession> {
    let s = this.sessions.get(dim);
    if (!s) {
      s = ort.InferenceSession.create(buildInt8MatMulModel(dim), {
        intraOpNumThreads: this.threads,
        interOpNumThreads: 1,
        executionMode: 'sequential',
        graphOptimizationLevel: 'all',
        // Idle spinning ORT threads steal the other core from the face engine (STACK.md).
        extra: { session: { intra_op: { allow_spinning: '0' } } },
      });
      this.sessions.set(dim, s);
    }
    return s;
  }

  private mirror(b: SharedBlockView, dim: number, now: number): Mirror {
    let m = this.mirrors.get(b.id);
    const generation = Atomics.load(b.meta, 0);
    if (!m) {
      m = { q8: new Uint8Array(b.cap * dim), inv: new Float32Array(b.cap), l1: new Float32Array(b.cap), maxInv: 0, maxL1: 0, rows: 0, generation, usedAt: now };
      this.mirrors.set(b.id, m);
    }
    if (m.generation !== generation) {
      m.rows = 0;
      m.maxInv = 0;
      m.maxL1 = 0;
      m.generation = generation;
    }
    for (let r = m.rows; r < b.count; r++) {
      quantizeRow(b.f32, r, dim, m);
      m.maxInv = Math.max(m.maxInv, m.inv[r]!);
      m.maxL1 = Math.max(m.maxL1, m.l1[r]!);
    }
    m.rows = Math.max(m.rows, b.count);
    m.usedAt = now;
    return m;
  }

  async run(task: GallerySearchTask): Promise<GallerySearchResult> {
    const { dim, nq, blocks, queries, k } = task;
    const now = Date.now();
    for (const [id, m] of this.mirrors) {
      if (now - m.usedAt > EVICT_AFTER_MS) {
        this.mirrors.delete(id);
      }
    }
    const session = await this.session(dim);
    // Queries: int8, column b = query b, with their own scales.
    const q8 = new Int8Array(dim * nq);
    const qScale = new Float64Array(nq);
    const qSum = new Float64Array(nq);
    const qL1 = new Float64Array(nq);
    for (let b = 0; b < nq; b++) {
      let max = 0;
      for (let j = 0; j < dim; j++) {
        max = Math.max(max, Math.abs(queries[b * dim + j]!));
      }
      const s = max > 0 ? 127 / max : 1;
      qScale[b] = s;
      for (let j = 0; j < dim; j++) {
        const v = Math.round(queries[b * dim + j]! * s);
        q8[j * nq + b] = v;
        qSum[b]! += v;
        qL1[b]! += Math.abs(v) / s;
      }
    }
    const qTensor = new ort.Tensor('int8', q8, [dim, nq]);
    let maxInv = 0;
    let maxL1 = 0;
    const raws: { block: SharedBlockView; mirror: Mirror; raw: Int32Array }[] = [];
    for (const block of blocks) {
      if (block.count <= 0) {
        continue;
      }
      const mirror = this.mirror(block, dim, now);
      const out = await session.run({ g: new ort.Tensor('uint8', mirror.q8.subarray(0, block.count * dim), [block.count, dim]), q: qTensor });
      const raw = out.scores?.data;
      if (!(raw instanceof Int32Array)) {
        throw new Error('gallery MatMulInteger returned no int32 scores');
      }
      raws.push({ block, mirror, raw });
      // Over every quantised row (a superset of the view's): a bound that is only ever looser.
      maxInv = Math.max(maxInv, mirror.maxInv);
      maxL1 = Math.max(maxL1, mirror.maxL1);
    }
    const hits: SearchHit[][] = [];
    let rescored = 0;
    for (let b = 0; b < nq; b++) {
      const s = qScale[b]!;
      const zero = 128 * qSum[b]!;
      // |approx - exact| <= eps: query rounding against the row, row rounding against the query, both roundings.
      const eps = (0.5 / s) * maxL1 + 0.5 * maxInv * qL1[b]! + (0.25 * dim * maxInv) / s + 1e-6;
      const approx = raws.map(({ block, mirror, raw }) => {
        const a = new Float64Array(block.count);
        for (let r = 0; r < block.count; r++) {
          a[r] = ((raw[r * nq + b]! - zero) * mirror.inv[r]!) / s;
        }
        return a;
      });
      const rows = task.mode === 'rows' ? new TopK(k) : undefined;
      const slots = task.mode === 'slots' ? new BestPerSlot(task.slots) : undefined;
      raws.forEach(({ block }, i) => {
        rows?.offerBlock(approx[i]!, 0, block.count, block.start);
        slots?.offerBlock(approx[i]!, 0, block.count, block.start, block.slot);
      });
      const approxTop = rows ? rows.scores : (slots?.top(k) ?? []).map((m) => m.score);
      const tau = approxTop.length < k ? -Infinity : approxTop[k - 1]!;
      const floor = tau - 2 * eps;
      const exactRows = task.mode === 'rows' ? new TopK(k) : undefined;
      const exactSlots = task.mode === 'slots' ? new BestPerSlot(task.slots) : undefined;
      const one = new Float64Array(1);
      raws.forEach(({ block }, i) => {
        const a = approx[i]!;
        for (let r = 0; r < block.count; r++) {
          if (a[r]! < floor) {
            continue;
          }
          rescored++;
          const v = dotAt(queries, b * dim, block.f32, r * dim, dim);
          if (exactRows) {
            one[0] = v;
            exactRows.offerBlock(one, 0, 1, block.start + r);
          }
          const slot = block.slot[r]!;
          if (exactSlots && v > exactSlots.best[slot]!) {
            exactSlots.best[slot] = v;
            exactSlots.bestRow[slot] = block.start + r;
          }
        }
      });
      hits.push(
        exactRows
          ? exactRows.rows.map((row, i) => ({ row, slot: -1, score: exactRows.scores[i]! }))
          : (exactSlots?.top(k) ?? []).map((m) => ({ row: m.row, slot: m.slot, score: m.score })),
      );
    }
    return { hits, rescored };
  }
}

function quantizeRow(f32: Float32Array, r: number, dim: number, m: Mirror): void {
  const o = r * dim;
  let max = 0;
  for (let j = 0; j < dim; j++) {
    max = Math.max(max, Math.abs(f32[o + j]!));
  }
  const s = max > 0 ? 127 / max : 0;
  let l1 = 0;
  for (let j = 0; j < dim; j++) {
    const v = Math.round(f32[o + j]! * s);
    m.q8[o + j] = v + 128;
    l1 += Math.abs(v);
  }
  m.inv[r] = s > 0 ? 1 / s : 0;
  m.l1[r] = s > 0 ? l1 / s : 0;
}
