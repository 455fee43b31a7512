// Reductions over one block of scores for one query: top-k templates and the
// best template per employee. Shared by the JS and ONNX Runtime scorers so
// both paths give identical rankings for identical scores.

export type Scores = Float32Array | Float64Array;

/** Keeps the k highest (score, row) pairs, best first; insertion into a short sorted list. */
export class TopK {
  readonly scores: number[] = [];
  readonly rows: number[] = [];

  constructor(readonly k: number) {}

  offerBlock(s: Scores, offset: number, count: number, firstRow: number): void {
    const k = this.k;
    if (k <= 0) {
      return;
    }
    let floor = this.scores.length < k ? -Infinity : this.scores[k - 1]!;
    for (let c = 0; c < count; c++) {
      const v = s[offset + c]!;
      if (v > floor) {
        this.insert(v, firstRow + c);
        floor = this.scores.length < k ? -Infinity : this.scores[k - 1]!;
      }
    }
  }

  private insert(score: number, row: number): void {
    let i = this.scores.length;
    // Ties keep the lower row first (rows arrive in ascending order), matching a stable brute force.
    while (i > 0 && this.scores[i - 1]! < score) {
      i--;
    }
    this.scores.splice(i, 0, score);
    this.rows.splice(i, 0, row);
    if (this.scores.length > this.k) {
      this.scores.pop();
      this.rows.pop();
    }
  }
}

/** Best score and row per employee slot. */
export class BestPerSlot {
  readonly best: Float64Array;
  readonly bestRow: Int32Array;

  constructor(slots: number) {
    this.best = new Float64Array(slots).fill(-Infinity);
    this.bestRow = new Int32Array(slots).fill(-1);
  }

  /** `slots[c]` is the employee slot of row firstRow + c (a block's own slot column). */
  offerBlock(s: Scores, offset: number, count: number, firstRow: number, slots: Int32Array): void {
    const { best, bestRow } = this;
    for (let c = 0; c < count; c++) {
      const v = s[offset + c]!;
      const slot = slots[c]!;
      if (v > best[slot]!) {
        best[slot] = v;
        bestRow[slot] = firstRow + c;
      }
    }
  }

  /** The k best slots, best first (ties: lower slot first). */
  top(k: number): { slot: number; score: number; row: number }[] {
    const picked = new TopK(k);
    // Reuse TopK over slots: "row" here is the slot index.
    picked.offerBlock(this.best, 0, this.best.length, 0);
    return picked.rows
      .map((slot, i) => ({ slot, score: picked.scores[i]!, row: this.bestRow[slot]! }))
      .filter((m) => m.row >= 0);
  }
}

/**
 * One query's answer from the exact answers of the lanes that each searched part of the rows
 * (gallery-int8-search.ts). 'rows': every lane's top k holds the global top k rows that lie in
 * its part, so the best k of their union are the global top k. 'slots': an employee among the
 * global top k has its best row in some lane and ranks among that lane's top k there, so taking
 * each slot's best over the lanes and the best k of those is exact. Ties as a brute force: lower
 * row first, lower slot first.
 */
export function mergeLanes<H extends { row: number; slot: number; score: number }>(mode: 'rows' | 'slots', k: number, lanes: readonly (readonly H[])[]): H[] {
  let all: H[];
  if (mode === 'rows') {
    all = lanes.flat();
    all.sort((a, b) => b.score - a.score || a.row - b.row);
  } else {
    const best = new Map<number, H>();
    for (const h of lanes.flat()) {
      const seen = best.get(h.slot);
      if (!seen || h.score > seen.score || (h.score === seen.score && h.row < seen.row)) {
        best.set(h.slot, h);
      }
    }
    all = [...best.values()];
    all.sort((a, b) => b.score - a.score || a.slot - b.slot);
  }
  return all.slice(0, k);
}
