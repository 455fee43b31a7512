// In-memory gallery of the L2-normalised templates of ONE model pack (the
// embeddings of different packs never meet). Rows live in transposed blocks
// (gallery-blocks.ts) with a parallel Int32Array of employee ids; scores come
// from plain JS for small galleries and ONNX Runtime's MatMul for large ones
// (gallery-ort-scorer.ts); rankings from gallery-reduce.ts.
//
// Mutations are synchronous; searches are async (one block per await). A
// removal while a search is in flight copies what it would overwrite first
// (copy-on-write), so a search always sees the gallery as it was when it began.
import { employeeId, type EmployeeId } from '../domain/ids.js';
import { BlockStore, type Block } from './gallery-blocks.js';
import { BestPerSlot, TopK } from './gallery-reduce.js';
import { jsScorer, type BlockScorer } from './gallery-scorer.js';
import { sharedOrtScorer } from './gallery-ort-scorer.js';
import type { EmployeeMatch, GallerySearch, TemplateMatch } from './gallery-search.js';

export interface GalleryRow {
  employeeId: EmployeeId;
  embedding: Float32Array;
}

export interface GalleryOptions {
  /** 'auto' (default): JS below `ortMinRows` templates x queries, ONNX Runtime above. */
  scorer?: 'auto' | 'js' | 'ort';
  /** Default 2048 (templates x queries): below it the JS loop takes < ~1 ms and needs no ORT session. */
  ortMinRows?: number;
  /** Provides the ORT scorer (default: one shared process-wide session). */
  ortScorer?: () => Promise<BlockScorer>;
}

interface View {
  blocks: Block[];
  count: number;
  ids: Int32Array;
  rowSlot: Int32Array;
  slotEmployee: number[];
}

const FREE = -1;

export class Gallery implements GallerySearch {
  private readonly store: BlockStore;
  private ids: Int32Array = new Int32Array(1024);
  /** Dense employee index per row, for per-employee reductions. */
  private rowSlot: Int32Array = new Int32Array(1024);
  private slotEmployee: number[] = [];
  private readonly slotOf = new Map<number, number>();
  private readonly slotTemplates: number[] = [];
  private readonly freeSlots: number[] = [];
  private readers = 0;
  private viewedSinceCopy = false;
  private readonly options: Required<Omit<GalleryOptions, 'ortScorer'>> & Pick<GalleryOptions, 'ortScorer'>;

  constructor(
    readonly dim: number,
    options: GalleryOptions = {},
  ) {
    if (!Number.isInteger(dim) || dim <= 0) {
      throw new RangeError(`invalid embedding size ${dim}`);
    }
    this.store = new BlockStore(dim);
    this.options = { scorer: options.scorer ?? 'auto', ortMinRows: options.ortMinRows ?? 2048, ortScorer: options.ortScorer };
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
    const row = this.store.count;
    if (row === this.ids.length) {
      // Growing allocates new arrays: views of in-flight searches keep the old ones.
      this.ids = grow(this.ids);
      this.rowSlot = grow(this.rowSlot);
    }
    this.store.append(v);
    this.ids[row] = id;
    this.rowSlot[row] = slot;
    return row;
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
    const holes: number[] = [];
    for (let r = 0; r < this.store.count; r++) {
      if (this.rowSlot[r] === slot) {
        holes.push(r);
      }
    }
    this.copyIfShared(holes[0]!);
    const { store } = this;
    for (const hole of holes) {
      // Drop trailing rows of this employee, then fill the hole with the last row.
      while (store.count > 0 && this.rowSlot[store.count - 1] === slot) {
        store.count--;
      }
      if (hole >= store.count) {
        break;
      }
      const last = store.count - 1;
      store.moveRow(last, hole);
      this.ids[hole] = this.ids[last]!;
      this.rowSlot[hole] = this.rowSlot[last]!;
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
    const accs = queries.map(() => new TopK(k));
    const view = await this.scan(queries, (b, data, offset, count, start) => accs[b]!.offerBlock(data, offset, count, start));
    return accs.map((acc) =>
      acc.rows.map((row, i) => ({ row, employeeId: employeeId(view.ids[row]!), score: acc.scores[i]! })),
    );
  }

  async bestPerEmployeeBatch(queries: readonly Float32Array[], k: number): Promise<EmployeeMatch[][]> {
    const slots = this.slotEmployee.length;
    const accs = queries.map(() => new BestPerSlot(slots));
    const view = await this.scan(queries, (b, data, offset, count, start, v) =>
      accs[b]!.offerBlock(data, offset, count, start, v.rowSlot),
    );
    return accs.map((acc) =>
      acc.top(k).map((m) => ({ employeeId: employeeId(view.slotEmployee[m.slot]!), score: m.score, row: m.row })),
    );
  }

  /** Scores every live row against every query, block by block, feeding `sink`. */
  private async scan(
    queries: readonly Float32Array[],
    sink: (query: number, data: Float32Array | Float64Array, offset: number, count: number, start: number, view: View) => void,
  ): Promise<View> {
    const nq = queries.length;
    const packed = new Float32Array(nq * this.dim);
    queries.forEach((q, b) => packed.set(normalised(q, this.dim), b * this.dim));
    const view = this.capture();
    if (nq === 0 || view.count === 0) {
      return view;
    }
    this.readers++;
    try {
      const scorer = await this.pickScorer(view.count * nq);
      for (const block of view.blocks) {
        const count = Math.min(block.cap, view.count - block.start);
        if (count <= 0) {
          break;
        }
        const { data, stride } = await scorer.score(packed, nq, this.dim, block, count);
        for (let b = 0; b < nq; b++) {
          sink(b, data, b * stride, count, block.start, view);
        }
      }
      return view;
    } finally {
      this.readers--;
    }
  }

  private pickScorer(work: number): BlockScorer | Promise<BlockScorer> {
    const { scorer, ortMinRows, ortScorer } = this.options;
    if (scorer === 'js' || (scorer === 'auto' && work < ortMinRows)) {
      return jsScorer;
    }
    return (ortScorer ?? sharedOrtScorer)();
  }

  private capture(): View {
    this.viewedSinceCopy = true;
    return {
      blocks: this.store.blocks.slice(),
      count: this.store.count,
      ids: this.ids,
      rowSlot: this.rowSlot,
      slotEmployee: this.slotEmployee,
    };
  }

  /** Before overwriting rows >= firstRow while a search may read them, give the gallery private copies. */
  private copyIfShared(firstRow: number): void {
    if (this.readers === 0 || !this.viewedSinceCopy) {
      return;
    }
    this.ids = this.ids.slice();
    this.rowSlot = this.rowSlot.slice();
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

function grow(a: Int32Array): Int32Array<ArrayBuffer> {
  const out = new Int32Array(a.length * 2);
  out.set(a);
  return out;
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
