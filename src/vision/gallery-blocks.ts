// Template storage for the gallery: rows (unit vectors) live row-major in blocks of shared
// memory, with each row's employee slot beside it and each row's int8 code in the block's
// WebAssembly memory (gallery-int8-codes.ts). Why:
// - the search lanes (gallery-int8-search.ts, worker threads) read the very same memory: a query
//   sends a few buffer handles, never the gallery (100k x 512 floats = 200 MB), and the lanes keep
//   no copy of their own, so nothing has to be refreshed after a change;
// - the int8 codes are written here, once per added row (~2 us), not quantised again per search;
// - row-major float rows are what the exact re-scoring of a few candidates reads (one contiguous
//   run per template);
// - appending writes one row of the last block; removal moves the last row into the hole
//   (swap-compact); no big copies ever, except copy-on-write of a block a search still reads.
// Block capacities double from FIRST_CAP to MAX_CAP so a small gallery stays small (2 MB at
// 512 floats) and a large one is a few big blocks.
import { codeLayout, codeMemory, quantizeRow, type CodeLayout } from './gallery-int8-codes.js';

export interface Block {
  /** cap * dim floats, row-major; rows >= the live count are garbage. */
  f32: Float32Array;
  /** Employee slot of each row. */
  slot: Int32Array;
  /** Codes, scales and lane scratch (layout: gallery-int8-codes.ts). */
  memory: WebAssembly.Memory;
  codes: Int8Array;
  inv: Float32Array;
  /**
   * Largest scale and largest dequantised L1 norm over every row ever written here: the
   * search's error bound needs only these, and a bound over more rows is only looser.
   */
  maxInv: number;
  maxL1: number;
  readonly cap: number;
  /** Global row index of row 0. */
  readonly start: number;
}

export const FIRST_CAP = 1024;
export const MAX_CAP = 32_768;

function sharedBlock(dim: number, cap: number, start: number): Block {
  const layout = codeLayout(dim, cap);
  const memory = codeMemory(layout);
  return {
    f32: new Float32Array(new SharedArrayBuffer(cap * dim * 4)),
    slot: new Int32Array(new SharedArrayBuffer(cap * 4)),
    memory,
    ...codeViews(memory, layout, cap),
    maxInv: 0,
    maxL1: 0,
    cap,
    start,
  };
}

function codeViews(memory: WebAssembly.Memory, layout: CodeLayout, cap: number): { codes: Int8Array; inv: Float32Array } {
  return { codes: new Int8Array(memory.buffer, 0, cap * layout.stride), inv: new Float32Array(memory.buffer, layout.inv, cap) };
}

export class BlockStore {
  blocks: Block[] = [];
  count = 0;
  private readonly stride: number;

  constructor(readonly dim: number) {
    this.stride = codeLayout(dim, 1).stride;
  }

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
    const code = quantizeRow(v, block.codes, block.inv, local, this.stride);
    block.maxInv = Math.max(block.maxInv, code.inv);
    block.maxL1 = Math.max(block.maxL1, code.l1);
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

  /** Copies row `from` (its floats, slot and code) over row `to`; the caller then drops the last row. */
  moveRow(from: number, to: number): void {
    const src = this.locate(from);
    const dst = this.locate(to);
    const { dim, stride } = this;
    dst.block.f32.set(src.block.f32.subarray(src.local * dim, (src.local + 1) * dim), dst.local * dim);
    dst.block.slot[dst.local] = src.block.slot[src.local]!;
    dst.block.codes.set(src.block.codes.subarray(src.local * stride, (src.local + 1) * stride), dst.local * stride);
    dst.block.inv[dst.local] = src.block.inv[src.local]!;
    dst.block.maxInv = Math.max(dst.block.maxInv, src.block.maxInv);
    dst.block.maxL1 = Math.max(dst.block.maxL1, src.block.maxL1);
  }

  /** Replaces a block with a private copy (copy-on-write for in-flight searches). */
  detachBlock(index: number): void {
    const old = this.blocks[index]!;
    const copy = sharedBlock(this.dim, old.cap, old.start);
    copy.f32.set(old.f32);
    copy.slot.set(old.slot);
    copy.codes.set(old.codes);
    copy.inv.set(old.inv);
    copy.maxInv = old.maxInv;
    copy.maxL1 = old.maxL1;
    this.blocks[index] = copy;
  }

  /** Drops empty trailing blocks beyond the first after removals. */
  trim(): void {
    while (this.blocks.length > 1 && this.blocks.at(-1)!.start >= this.count) {
      this.blocks.pop();
    }
  }
}
