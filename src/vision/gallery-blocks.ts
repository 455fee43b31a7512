// Template storage for the gallery: rows (unit vectors) live row-major in blocks of
// SharedArrayBuffer memory, with each row's employee slot beside it. Why:
// - the search worker (gallery-search-worker.ts) reads the very same memory: a query sends a
//   few buffer handles, never the gallery (100k x 512 floats = 200 MB);
// - row-major rows are what the worker's int8 copy and the exact re-scoring of a few
//   candidates read (one contiguous run per template);
// - appending writes one row of the last block; removal moves the last row into the hole
//   (swap-compact); no big copies ever, except copy-on-write of a block a search still reads.
// Block capacities double from FIRST_CAP to MAX_CAP so a small gallery stays small (2 MB at
// 512 floats) and a large one is a few big blocks (one ONNX Runtime run each in the worker).

export interface Block {
  /** Unique in the process: the worker keys its int8 copy of a block by it. */
  readonly id: number;
  /** cap * dim floats, row-major; rows >= the live count are garbage. */
  f32: Float32Array;
  /** Employee slot of each row. */
  slot: Int32Array;
  /**
   * meta[0]: generation, bumped whenever a row the worker may already have copied is
   * overwritten in place (removal), so it re-reads the block.
   */
  meta: Int32Array;
  readonly cap: number;
  /** Global row index of row 0. */
  readonly start: number;
}

export const FIRST_CAP = 1024;
export const MAX_CAP = 32_768;

let nextBlockId = 1;

function sharedBlock(dim: number, cap: number, start: number): Block {
  return {
    id: nextBlockId++,
    f32: new Float32Array(new SharedArrayBuffer(cap * dim * 4)),
    slot: new Int32Array(new SharedArrayBuffer(cap * 4)),
    meta: new Int32Array(new SharedArrayBuffer(4)),
    cap,
    start,
  };
}

export class BlockStore {
  blocks: Block[] = [];
  count = 0;

  constructor(readonly dim: number) {}

  private capacity(): number {
    const last = this.blocks.at(-1);
    return last ? last.start + last.cap : 0;
  }

  /** Block holding a row and the row's index inside it. */
  locate(row: number): { block: Block; index: number; local: number } {
    // Few blocks (8 for 100k rows): a linear scan from the end is cheapest.
    for (let i = this.blocks.length - 1; i >= 0; i--) {
      const block = this.blocks[i]!;
      if (row >= block.start) {
        return { block, index: i, local: row - block.start };
      }
    }
    throw new RangeError(`row ${row} out of range`);
  }

  /** Appends a (normalised) vector as the next row; returns its row index. */
  append(v: Float32Array, slot: number): number {
    if (this.count === this.capacity()) {
      const last = this.blocks.at(-1);
      const cap = last ? Math.min(MAX_CAP, last.cap * 2) : FIRST_CAP;
      this.blocks.push(sharedBlock(this.dim, cap, this.capacity()));
    }
    const row = this.count++;
    const { block, local } = this.locate(row);
    block.f32.set(v, local * this.dim);
    block.slot[local] = slot;
    return row;
  }

  slotOf(row: number): number {
    const { block, local } = this.locate(row);
    return block.slot[local]!;
  }

  readRow(row: number, out = new Float32Array(this.dim)): Float32Array {
    const { block, local } = this.locate(row);
    out.set(block.f32.subarray(local * this.dim, (local + 1) * this.dim));
    return out;
  }

  /** Copies row `from` (and its slot) over row `to`; the caller then drops the last row. */
  moveRow(from: number, to: number): void {
    const src = this.locate(from);
    const dst = this.locate(to);
    dst.block.f32.set(src.block.f32.subarray(src.local * this.dim, (src.local + 1) * this.dim), dst.local * this.dim);
    dst.block.slot[dst.local] = src.block.slot[src.local]!;
    Atomics.add(dst.block.meta, 0, 1);
  }

  /** Marks every block from `row` on as rewritten (rows were dropped there: later appends reuse them). */
  touchFrom(row: number): void {
    for (const block of this.blocks) {
      if (block.start + block.cap > row) {
        Atomics.add(block.meta, 0, 1);
      }
    }
  }

  /** Replaces a block with a private copy under a new id (copy-on-write for in-flight searches). */
  detachBlock(index: number): void {
    const old = this.blocks[index]!;
    const copy = sharedBlock(this.dim, old.cap, old.start);
    copy.f32.set(old.f32);
    copy.slot.set(old.slot);
    this.blocks[index] = copy;
  }

  /** Drops empty trailing blocks beyond the first after removals. */
  trim(): void {
    while (this.blocks.length > 1 && this.blocks.at(-1)!.start >= this.count) {
      this.blocks.pop();
    }
  }
}
