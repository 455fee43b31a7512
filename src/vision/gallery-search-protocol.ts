// Messages between a Gallery (main thread) and the gallery search worker. A task carries the
// handles of the gallery's shared blocks (no template is copied) and the queries; the answer
// carries the final matches (rows, slots, exact scores).

export interface SharedBlockView {
  id: number;
  f32: Float32Array;
  slot: Int32Array;
  meta: Int32Array;
  cap: number;
  start: number;
  /** Live rows of this block in the searched view. */
  count: number;
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
}

/** Per query, best first: a row (mode 'rows') or the best row of a slot (mode 'slots'). */
export interface SearchHit {
  row: number;
  slot: number;
  score: number;
}

export interface GallerySearchResult {
  hits: SearchHit[][];
  /** Rows re-scored exactly after the int8 pass, summed over queries (diagnostics, tests). */
  rescored: number;
}
