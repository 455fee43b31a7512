// In-memory gallery of the L2-normalised templates of ONE model pack (the
// embeddings of different packs never meet). Rows live in shared row-major
// blocks with their employee slot and int8 code (gallery-blocks.ts). Small
// searches run here in plain JS (gallery-exact.ts); large ones in the search
// lanes (gallery-int8-search.ts: int8 pass + exact re-scoring, each lane a
// worker thread scanning its share of the rows), which read the same shared
// memory, so the event loop never scans 100k templates and no template is
// copied per query. Rankings and the merge of the lanes from gallery-reduce.ts.
//
// Mutations are synchronous; searches are async. A removal while a search is in
// flight copies what it would overwrite first (copy-on-write), so a search
// always sees the gallery as it was when it began.
import { employeeId, type EmployeeId } from '../domain/ids.js';
import { BlockStore, type Block } from './gallery-blocks.js';
import { exactBlockScores } from './gallery-exact.js';
import { SEARCH_LANES } from './gallery-int8-codes.js';
import { BestPerSlot, mergeLanes, TopK } from './gallery-reduce.js';
import type { SearchHit } from './gallery-search-protocol.js';
import { sharedGallerySearchLanes, type GallerySearchPool } from './gallery-search-pool.js';
import type { EmployeeMatch, GallerySearch, TemplateMatch } from './gallery-search.js';

export interface GalleryRow {
  employeeId: EmployeeId;
  embedding: Float32Array;
}

export interface GalleryOptions {
  /** 'auto' (default): JS here below `workerMinRows` templates x queries, the search lanes above. */
  scorer?: 'auto' | 'js' | 'worker';
  /** Default 2048 (templates x queries): below it the JS loop takes < ~1 ms, less than a message round trip. */
  workerMinRows?: number;
  /** The search lanes, at most SEARCH_LANES (default: the shared process-wide lanes). */
  searchLanes?: () => readonly GallerySearchPool[];
}

interface View {
  blocks: Block[];
  count: number;
  slotEmployee: number[];
}

interface Hit {
  row: number;
  employeeId: EmployeeId;
  score: number;
}

const FREE = -1;

export class Gallery implements GallerySearch {
  private readonly store: BlockStore;
  /** Employee id of each dense slot (FREE when unused); rows carry their slot. */
  private slotEmployee: number[] = [];
  private readonly slotOf = new Map<number, number>();
  private readonly slotTemplates: number[] = [];
  private readonly freeSlots: number[] = [];
  private readers = 0;
  private viewedSinceCopy = false;
  private readonly options: Required<GalleryOptions>;
  private laneSearches = 0;
  private rescoredRows = 0;

  constructor(
    readonly dim: number,
    options: GalleryOptions = {},
  ) {
    if (!Number.isInteger(dim) || dim <= 0) {
      throw new RangeError(`invalid embedding size ${dim}`);
    }
    this.store = new BlockStore(dim);
    this.options = {
      scorer: options.scorer ?? 'auto',
      workerMinRows: options.workerMinRows ?? 2048,
      searchLanes: options.searchLanes ?? sharedGallerySearchLanes,
    };
  }

  /** Builds a gallery; `dim` defaults to the first row's length. */
  static fromRows(rows: readonly GalleryRow[], options: GalleryOptions & { dim?: number } = {}): Gallery {
    const dim = options.dim ?? rows[0]?.embedding.length;
    if (dim === undefined) {
      throw new RangeError('empty gallery needs an explicit dim');
    }
    const gallery = new Gallery(dim, options);
    gallery.addMany(rows);
    return gallery;
  }

  get size(): number {
    return this.store.count;
  }

  get employeeCount(): number {
    return this.slotOf.size;
  }

  employees(): EmployeeId[] {
    return [...this.slotOf.keys()].map(employeeId);
  }

  templateCount(id: EmployeeId): number {
    const slot = this.slotOf.get(id);
    return slot === undefined ? 0 : this.slotTemplates[slot]!;
  }

  /** Adds one template (normalised on the way in); returns its row. */
  add(id: EmployeeId, embedding: Float32Array): number {
    const v = normalised(embedding, this.dim);
    let slot = this.slotOf.get(id);
    if (slot === undefined) {
      slot = this.freeSlots.pop() ?? this.slotEmployee.length;
      this.slotOf.set(id, slot);
      this.slotEmployee[slot] = id;
      this.slotTemplates[slot] = 0;
    }
    this.slotTemplates[slot]!++;
    // Appends write past the count of every in-flight search's view: no copy needed.
    return this.store.append(v, slot);
  }

  addMany(rows: readonly GalleryRow[]): void {
    for (const r of rows) {
      this.add(r.employeeId, r.embedding);
    }
  }

  /** Removes every template of an employee (swap-compact); returns how many were removed. */
  removeEmployee(id: EmployeeId): number {
    const slot = this.slotOf.get(id);
    if (slot === undefined) {
      return 0;
    }
    const { store } = this;
    const holes: number[] = [];
    for (const block of store.blocks) {
      const live = Math.min(block.cap, store.count - block.start);
      for (let r = 0; r < live; r++) {
        if (block.slot[r] === slot) {
          holes.push(block.start + r);
        }
      }
    }
    this.copyIfShared(holes[0]!);
    for (const hole of holes) {
      // Drop trailing rows of this employee, then fill the hole with the last row.
      while (store.count > 0 && store.slotOf(store.count - 1) === slot) {
        store.count--;
      }
      if (hole >= store.count) {
        break;
      }
      store.moveRow(store.count - 1, hole);
      store.count--;
    }
    store.trim();
    this.slotOf.delete(id);
    this.slotEmployee[slot] = FREE;
    this.slotTemplates[slot] = 0;
    this.freeSlots.push(slot);
    return holes.length;
  }

  /** Replaces an employee's templates (re-enrollment). */
  replaceEmployee(id: EmployeeId, embeddings: readonly Float32Array[]): void {
    this.removeEmployee(id);
    for (const e of embeddings) {
      this.add(id, e);
    }
  }

  /** A copy of one stored (normalised) template. */
  template(row: number): Float32Array {
    if (row < 0 || row >= this.store.count) {
      throw new RangeError(`row ${row} out of range`);
    }
    return this.store.readRow(row);
  }

  /** Copies of an employee's stored (normalised) templates, row-major. */
  rowsOf(id: EmployeeId): Float32Array {
    const slot = this.slotOf.get(id);
    const out = new Float32Array((slot === undefined ? 0 : this.slotTemplates[slot]!) * this.dim);
    let n = 0;
    for (const block of this.store.blocks) {
      const live = Math.min(block.cap, this.store.count - block.start);
      for (let r = 0; r < live && slot !== undefined; r++) {
        if (block.slot[r] === slot) {
          out.set(block.f32.subarray(r * this.dim, (r + 1) * this.dim), n++ * this.dim);
        }
      }
    }
    return out;
  }

  /** The employee a row belongs to. */
  employeeAt(row: number): EmployeeId | undefined {
    if (row < 0 || row >= this.store.count) {
      return undefined;
    }
    return employeeId(this.slotEmployee[this.store.slotOf(row)]!);
  }

  /** Queries answered by the search lanes and the rows they re-scored exactly (diagnostics, benchmark). */
  searchStats(): { laneQueries: number; rescoredRows: number } {
    return { laneQueries: this.laneSearches, rescoredRows: this.rescoredRows };
  }

  async top1(query: Float32Array): Promise<TemplateMatch | undefined> {
    return (await this.topK(query, 1))[0];
  }

  async topK(query: Float32Array, k: number): Promise<TemplateMatch[]> {
    return (await this.topKBatch([query], k))[0]!;
  }

  async bestPerEmployee(query: Float32Array, k: number): Promise<EmployeeMatch[]> {
    return (await this.bestPerEmployeeBatch([query], k))[0]!;
  }

  async topKBatch(queries: readonly Float32Array[], k: number): Promise<TemplateMatch[][]> {
    return this.search(queries, 'rows', k);
  }

  async bestPerEmployeeBatch(queries: readonly Float32Array[], k: number): Promise<EmployeeMatch[][]> {
    return this.search(queries, 'slots', k);
  }

  /**
   * Best rows ('rows') or best employees by their best row ('slots') of every query. Employee ids
   * are resolved before anything can change the gallery (slots are reused after a removal).
   */
  private async search(queries: readonly Float32Array[], mode: 'rows' | 'slots', k: number): Promise<Hit[][]> {
    const nq = queries.length;
    const packed = new Float32Array(nq * this.dim);
    queries.forEach((q, b) => packed.set(normalised(q, this.dim), b * this.dim));
    const view = this.capture();
    if (nq === 0 || view.count === 0 || k <= 0) {
      return queries.map(() => []);
    }
    const hit = (row: number, slot: number, score: number): Hit => ({ row, employeeId: employeeId(view.slotEmployee[slot]!), score });
    const { scorer, workerMinRows, searchLanes } = this.options;
    if (scorer === 'js' || (scorer === 'auto' && view.count * nq < workerMinRows)) {
      return this.searchHere(view, packed, nq, mode, k).map((list) => list.map((h) => hit(h.row, h.slot, h.score)));
    }
    this.readers++;
    try {
      const blocks = view.blocks.map((b) => ({
        f32: b.f32,
        slot: b.slot,
        memory: b.memory,
        cap: b.cap,
        start: b.start,
        count: Math.max(0, Math.min(b.cap, view.count - b.start)),
        maxInv: b.maxInv,
        maxL1: b.maxL1,
      }));
      const lanes = searchLanes();
      if (lanes.length === 0 || lanes.length > SEARCH_LANES) {
        throw new RangeError(`${lanes.length} search lanes (1 to ${SEARCH_LANES})`);
      }
      const results = await Promise.all(
        lanes.map((pool, lane) =>
          pool.run({ dim: this.dim, blocks, queries: packed, nq, mode, k, slots: view.slotEmployee.length, lane, lanes: lanes.length }),
        ),
      );
      this.laneSearches += nq;
      this.rescoredRows += results.reduce((sum, r) => sum + r.rescored, 0);
      return packedHits(results.map((r) => r.hits), nq).map((perLane) => mergeLanes(mode, k, perLane).map((h) => hit(h.row, h.slot, h.score)));
    } finally {
      this.readers--;
    }
  }

  /** Exact scan in this thread (small galleries). */
  private searchHere(view: View, packed: Float32Array, nq: number, mode: 'rows' | 'slots', k: number): SearchHit[][] {
    const slots = view.slotEmployee.length;
    const accs = Array.from({ length: nq }, () => (mode === 'rows' ? new TopK(k) : new BestPerSlot(slots)));
    for (const block of view.blocks) {
      const count = Math.min(block.cap, view.count - block.start);
      if (count <= 0) {
        break;
      }
      const scores = exactBlockScores(packed, nq, this.dim, block.f32, count);
      accs.forEach((acc, b) => acc.offerBlock(scores, b * count, count, block.start, block.slot));
    }
    return accs.map((acc) =>
      acc instanceof TopK
        ? acc.rows.map((row, i) => ({ row, slot: this.slotAt(view, row), score: acc.scores[i]! }))
        : acc.top(k).map((m) => ({ row: m.row, slot: m.slot, score: m.score })),
    );
  }

  private slotAt(view: View, row: number): number {
    const block = view.blocks.findLast((b) => row >= b.start)!;
    return block.slot[row - block.start]!;
  }

  private capture(): View {
    this.viewedSinceCopy = true;
    return { blocks: this.store.blocks.slice(), count: this.store.count, slotEmployee: this.slotEmployee };
  }

  /** Before overwriting rows >= firstRow while a search may read them, give the gallery private copies. */
  private copyIfShared(firstRow: number): void {
    if (this.readers === 0 || !this.viewedSinceCopy) {
      return;
    }
    this.slotEmployee = this.slotEmployee.slice();
    // Later appends write into the tail blocks too, so every block from the first hole on is copied.
    this.store.blocks.forEach((block, i) => {
      if (block.start + block.cap > firstRow) {
        this.store.detachBlock(i);
      }
    });
    this.viewedSinceCopy = false;
  }
}

/** [lane][query] -> [query][lane] */
function packedHits(byLane: readonly SearchHit[][][], nq: number): SearchHit[][][] {
  return Array.from({ length: nq }, (_, b) => byLane.map((lane) => lane[b]!));
}

/** A unit-length copy; throws on a wrong length or a zero / non-finite vector. */
export function normalised(v: Float32Array, dim: number): Float32Array {
  if (v.length !== dim) {
    throw new RangeError(`embedding has ${v.length} values, the gallery expects ${dim}`);
  }
  let s = 0;
  for (let j = 0; j < dim; j++) {
    s += v[j]! * v[j]!;
  }
  if (!(s > 0) || !Number.isFinite(s)) {
    throw new RangeError('embedding is zero or not finite');
  }
  const inv = 1 / Math.sqrt(s);
  const out = new Float32Array(dim);
  for (let j = 0; j < dim; j++) {
    out[j] = v[j]! * inv;
  }
  return out;
}
