// The int8 codes of gallery rows and where they live. Each block of the gallery (gallery-blocks.ts)
// owns one shared WebAssembly memory, written by the main thread when a row is added or moved and
// read by the search lanes (gallery-int8-search.ts) with the SIMD kernel (gallery-int8-kernel.ts):
//
//   [codes: cap x stride int8][inv: cap f32][lane 0: query int16 x stride, out f32 x cap][lane 1: ...]
//
// A row's code is round(x * 127 / max|x|), so x ~= code * inv with inv = max|x| / 127 (per-row
// scale: unit rows differ in their largest component). `stride` pads the code to a multiple of
// 64 bytes (the kernel's step); the padding stays 0. Each search lane has its own scratch, so the
// two lanes scan halves of the same block at the same time without touching each other's.

/** Search lanes (threads) that scan a gallery in parallel; one per core of the 2-core target. */
export const SEARCH_LANES = 2;

const PAGE = 65_536;

export interface CodeLayout {
  /** Code bytes per row (dim rounded up to 64). */
  stride: number;
  /** Byte offset of the per-row scales (f32). */
  inv: number;
  /** Byte offsets of each lane's int16 query and f32 output. */
  laneQuery: readonly number[];
  laneOut: readonly number[];
  /** Memory size in 64 KiB pages. */
  pages: number;
}

export function codeStride(dim: number): number {
  return Math.ceil(dim / 64) * 64;
}

export function codeLayout(dim: number, cap: number): CodeLayout {
  const stride = codeStride(dim);
  const inv = cap * stride;
  const laneQuery: number[] = [];
  const laneOut: number[] = [];
  let at = inv + cap * 4;
  for (let lane = 0; lane < SEARCH_LANES; lane++) {
    laneQuery.push(at);
    at += stride * 2;
    laneOut.push(at);
    at += cap * 4;
  }
  return { stride, inv, laneQuery, laneOut, pages: Math.ceil(at / PAGE) };
}

export function codeMemory(layout: CodeLayout): WebAssembly.Memory {
  return new WebAssembly.Memory({ initial: layout.pages, maximum: layout.pages, shared: true });
}

/**
 * Writes the code and scale of unit row `v` at row `local`; returns the row's scale and the L1
 * norm of its dequantised code (the search's error bound needs the largest of each).
 */
export function quantizeRow(
  v: Float32Array,
  codes: Int8Array,
  inv: Float32Array,
  local: number,
  stride: number,
): { inv: number; l1: number } {
  let max = 0;
  for (let j = 0; j < v.length; j++) {
    max = Math.max(max, Math.abs(v[j]!));
  }
  const s = max > 0 ? 127 / max : 0;
  const o = local * stride;
  let l1 = 0;
  for (let j = 0; j < v.length; j++) {
    const c = Math.round(v[j]! * s);
    codes[o + j] = c;
    l1 += Math.abs(c);
  }
  // Stored as f32: the bound is computed from the stored value, so the rounding of 1/s is part of it.
  inv[local] = s > 0 ? 1 / s : 0;
  const stored = inv[local];
  return { inv: stored, l1: l1 * stored };
}
