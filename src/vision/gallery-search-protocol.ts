// Messages between a Gallery (main thread) and its search lanes (worker threads). A task carries
// the handles of the gallery's shared blocks (no template is copied), the queries and which lane
// it is for: lane l of L scans its share of every block's rows. The answer carries that share's
// exact matches (rows, slots, exact scores); the gallery merges the lanes' answers.

export interface SharedBlockView {
  f32: Float32Array;
  slot: Int32Array;
  /** Codes, scales and lane scratch (layout: gallery-int8-codes.ts). */
  memory: WebAssembly.Memory;
  cap: number;
  start: number;
  /** Live rows of this block in the searched view. */
  count: number;
  maxInv: number;
  maxL1: number;
}

export interface GallerySearchTask {
  dim: number;
  blocks: SharedBlockView[];
  /** nq x dim, unit rows. */
  queries: Float32Array;
  nq: number;
  mode: 'rows' | 'slots';
  k: number;
  /** Number of employee slots (mode 'slots'). */
  slots: number;
  /** This task's lane and the number of lanes the rows are split over. */
  lane: number;
  lanes: number;
}

/** Per query, best first: a row (mode 'rows') or the best row of a slot (mode 'slots'). */
export interface SearchHit {
  row: number;
  slot: number;
  score: number;
}

export interface GallerySearchResult {
  hits: SearchHit[][];
  /** Rows re-scored exactly after the int8 pass, summed over queries (diagnostics, tests, benchmark). */
  rescored: number;
}
