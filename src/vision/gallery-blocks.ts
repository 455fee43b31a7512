// Template storage for the gallery: rows live in blocks stored TRANSPOSED
// ([dim, cap] per block, column c = one template). Why:
// - ONNX Runtime's MatMul q[B,dim] x G[dim,cap] runs ~3x faster than the
//   row-major G[n,dim] x q^T form here (MLAS' GEMV path, 7 ms vs 19 ms for
//   100k x 512), with no per-run transposition and no model rebuild;
// - one block per ORT run keeps each synchronous run ~1 ms, so the event
//   loop is never blocked for a whole 100k search;
// - appending a template writes one column of the last block; removal moves
//   the last column into the hole (swap-compact); no big copies ever.
// Block capacities double from FIRST_CAP to MAX_CAP so a small gallery stays
// small (2 MB at 512 floats) and a large one runs in few, big blocks.

export interface Block {
  /** dim * cap floats; element (j, c) at j * cap + c. Columns >= the live count are garbage. */
  data: Float32Array;
  readonly cap: number;
  /** Global row index of column 0. */
  readonly start: number;
}

export const FIRST_CAP = 1024;
export const MAX_CAP = 8192;

export class BlockStore {
  blocks: Block[] = [];
  count = 0;

  constructor(readonly dim: number) {}

  private capacity(): number {
    const last = this.blocks.at(-1);
    return last ? last.start + last.cap : 0;
  }

  /** Block holding a row and the row's column inside it. */
  locate(row: number): { block: Block; index: number; col: number } {
    // Few blocks (13 for 100k rows): a linear scan from the end is cheapest.
    for (let i = this.blocks.length - 1; i >= 0; i--) {
      const block = this.blocks[i]!;
      if (row >= block.start) {
        return { block, index: i, col: row - block.start };
      }
    }
    throw new RangeError(`row ${row} out of range`);
  }

  /** Appends a (normalised) vector as the next row; returns its row index. */
  append(v: Float32Array): number {
    if (this.count === this.capacity()) {
      const last = this.blocks.at(-1);
      const cap = last ? Math.min(MAX_CAP, last.cap * 2) : FIRST_CAP;
      this.blocks.push({ data: new Float32Array(this.dim * cap), cap, start: this.capacity() });
    }
    const row = this.count++;
    this.writeColumn(row, v);
    return row;
  }

  writeColumn(row: number, v: Float32Array): void {
    const { block, col } = this.locate(row);
    const { data, cap } = block;
    for (let j = 0; j < this.dim; j++) {
      data[j * cap + col] = v[j]!;
    }
  }

  readRow(row: number, out = new Float32Array(this.dim)): Float32Array {
    const { block, col } = this.locate(row);
    const { data, cap } = block;
    for (let j = 0; j < this.dim; j++) {
      out[j] = data[j * cap + col]!;
    }
    return out;
  }

  /** Copies row `from` over row `to` (the caller then drops the last row). */
  moveRow(from: number, to: number): void {
    this.writeColumn(to, this.readRow(from));
  }

  /** Replaces a block's data with a private copy (copy-on-write for in-flight searches). */
  detachBlock(index: number): void {
    const block = this.blocks[index]!;
    this.blocks[index] = { ...block, data: block.data.slice() };
  }

  /** Drops empty trailing blocks beyond the first after removals. */
  trim(): void {
    while (this.blocks.length > 1 && this.blocks.at(-1)!.start >= this.count) {
      this.blocks.pop();
    }
  }
}
