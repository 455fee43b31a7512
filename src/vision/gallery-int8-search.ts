// One search lane's share of a gallery search (runs in a lane's worker thread): an int8 pass over
// its rows with the SIMD kernel (gallery-int8-kernel.ts, codes written by the main thread), then an
// exact float re-scoring of the few rows the int8 scores cannot rule out. Why int8: a 100k x 512
// search is memory-bound; float32 reads 205 MB per query, int8 51 MB (~1 ms per lane here).
//
// Exactness: with per-row scales, |approx - exact| <= eps for every row, eps computed from the
// largest scale and code L1 norm (bound below). Every row among the lane's true top-k (or every
// best row of its true top-k employees) has approx >= tau - 2 eps, tau being the k-th best approx
// score, so re-scoring those rows exactly gives the lane's exact answer, and the gallery's merge of
// the lanes' exact answers is a brute-force float search's answer (gallery-reduce.ts, mergeLanes).
import { dotAt } from '../math/dot.js';
import { codeLayout, codeStride } from './gallery-int8-codes.js';
import { int8Kernel, type ScanFn } from './gallery-int8-kernel.js';
import { BestPerSlot, TopK } from './gallery-reduce.js';
import type { GallerySearchResult, GallerySearchTask, SearchHit, SharedBlockView } from './gallery-search-protocol.js';

/**
 * Best approximate rows kept to find the k-th best employee's score without a per-employee pass
 * (an employee has at most 40 templates by default; more, and the full pass runs).
 */
const SLOT_PROBE_ROWS = 64;

interface Part {
  block: SharedBlockView;
  /** This lane's rows of the block: [lo, hi). */
  lo: number;
  hi: number;
  scan: ScanFn;
  /** Byte offsets handed to the kernel. */
  queryAt: number;
  codesAt: number;
  invAt: number;
  outAt: number;
  /** The lane's query and output scratch in the block's memory. */
  query: Int16Array;
  out: Float32Array;
}

/** This lane's rows of each block, with the kernel bound to the block's memory. */
function lanePart(block: SharedBlockView, dim: number, lane: number, lanes: number): Part | undefined {
  const lo = Math.floor((block.count * lane) / lanes);
  const hi = Math.floor((block.count * (lane + 1)) / lanes);
  if (hi <= lo) {
    return undefined;
  }
  const layout = codeLayout(dim, block.cap);
  const { buffer } = block.memory;
  return {
    block,
    lo,
    hi,
    scan: int8Kernel(block.memory),
    queryAt: layout.laneQuery[lane]!,
    codesAt: lo * layout.stride,
    invAt: layout.inv + lo * 4,
    outAt: layout.laneOut[lane]! + lo * 4,
    query: new Int16Array(buffer, layout.laneQuery[lane], layout.stride),
    out: new Float32Array(buffer, layout.laneOut[lane], block.cap),
  };
}

export function searchLane(task: GallerySearchTask): GallerySearchResult {
  const { dim, nq, queries, k, lane, lanes } = task;
  if (!Number.isInteger(lane) || lane < 0 || lane >= lanes) {
    throw new RangeError(`lane ${lane} of ${lanes}`);
  }
  const stride = codeStride(dim);
  let maxInv = 0;
  let maxL1 = 0;
  const parts: Part[] = [];
  for (const block of task.blocks) {
    if (block.count <= 0) {
      continue;
    }
    // Over the whole view (a superset of this lane's rows): a bound that is only ever looser.
    maxInv = Math.max(maxInv, block.maxInv);
    maxL1 = Math.max(maxL1, block.maxL1);
    const part = lanePart(block, dim, lane, lanes);
    if (part) {
      parts.push(part);
    }
  }
  const q16 = new Int16Array(stride);
  const hits: SearchHit[][] = [];
  let rescored = 0;
  for (let b = 0; b < nq; b++) {
    const qo = b * dim;
    let max = 0;
    for (let j = 0; j < dim; j++) {
      max = Math.max(max, Math.abs(queries[qo + j]!));
    }
    // Queries are unit vectors (the gallery normalises them): max > 0.
    const s = 127 / max;
    let qL1 = 0;
    for (let j = 0; j < dim; j++) {
      const c = Math.round(queries[qo + j]! * s);
      q16[j] = c;
      qL1 += Math.abs(c);
    }
    qL1 /= s;
    // |approx - exact| <= eps: query rounding against the row, row rounding against the query, both
    // roundings; the constant covers the f32 rounding of the kernel's product and of the scales.
    const eps = (0.5 / s) * maxL1 + 0.5 * maxInv * qL1 + (0.25 * dim * maxInv) / s + 1e-6;
    // The kernel's outputs are s x approx: every threshold below is in those units.
    const best = new TopK(task.mode === 'rows' ? k : Math.max(k, SLOT_PROBE_ROWS));
    for (const p of parts) {
      p.query.set(q16);
      p.scan(p.queryAt, p.codesAt, p.invAt, p.outAt, p.hi - p.lo, stride);
      best.offerBlock(p.out, p.lo, p.hi - p.lo, p.block.start + p.lo);
    }
    const tau = task.mode === 'rows' ? (best.scores.length < k ? -Infinity : best.scores[k - 1]!) : kthEmployeeScore(best, parts, k, task.slots);
    const floor = tau - 2 * eps * s;
    const exactRows = task.mode === 'rows' ? new TopK(k) : undefined;
    // Per employee slot: its best re-scored row (only a few hundred rows are re-scored).
    const exactSlots = new Map<number, { row: number; score: number }>();
    const one = new Float64Array(1);
    for (const { block, lo, hi, out } of parts) {
      for (let r = lo; r < hi; r++) {
        if (out[r]! < floor) {
          continue;
        }
        rescored++;
        const v = dotAt(queries, qo, block.f32, r * dim, dim);
        if (exactRows) {
          one[0] = v;
          exactRows.offerBlock(one, 0, 1, block.start + r);
          continue;
        }
        const slot = block.slot[r]!;
        const seen = exactSlots.get(slot);
        // Strictly better only: rows come in ascending order, so ties keep the lower row.
        if (!seen || v > seen.score) {
          exactSlots.set(slot, { row: block.start + r, score: v });
        }
      }
    }
    hits.push(
      exactRows
        ? exactRows.rows.map((row, i) => ({ row, slot: slotOfRow(parts, row), score: exactRows.scores[i]! }))
        : [...exactSlots]
            .map(([slot, m]) => ({ row: m.row, slot, score: m.score }))
            .sort((a, b) => b.score - a.score || a.slot - b.slot)
            .slice(0, k),
    );
  }
  return { hits, rescored };
}

/**
 * The k-th best employee's best approximate score (-Infinity when the lane holds fewer than k
 * employees). Read from the best rows when they hold k distinct employees (the usual case: the
 * k-th employee appears among the first k x templates-per-person rows); otherwise from a full
 * per-employee pass over the lane's scores.
 */
function kthEmployeeScore(best: TopK, parts: readonly Part[], k: number, slots: number): number {
  const seen = new Set<number>();
  for (let i = 0; i < best.rows.length; i++) {
    seen.add(slotOfRow(parts, best.rows[i]!));
    if (seen.size === k) {
      return best.scores[i]!;
    }
  }
  if (best.rows.length < best.k) {
    // Every row of the lane was among the best: fewer than k employees here.
    return -Infinity;
  }
  const perSlot = new BestPerSlot(slots);
  for (const p of parts) {
    perSlot.offerBlock(p.out, p.lo, p.hi - p.lo, p.block.start + p.lo, p.block.slot.subarray(p.lo, p.hi));
  }
  const top = perSlot.top(k);
  return top.length < k ? -Infinity : top[k - 1]!.score;
}

function slotOfRow(parts: readonly Part[], row: number): number {
  const part = parts.findLast((p) => row >= p.block.start + p.lo)!;
  return part.block.slot[row - part.block.start]!;
}
