import { describe, expect, it } from 'vitest';
import { employeeId } from '../../src/domain/ids.js';
import { Gallery, type GalleryRow } from '../../src/vision/gallery.js';
import { bruteForce, bruteForcePerEmployee, near, randomRows, randomUnit, rng } from './gallery-fixtures.js';

const DIM = 512;

// 6,000 rows span three blocks (1024 + 2048 + a partial 4096), so block
// boundaries and the partial last block are exercised.
const rand = rng(42);
const rows = randomRows(rand, 6000, 300, DIM);
// Queries close to a few stored templates plus pure noise queries.
const queries = [near(rand, rows[17]!.embedding, 0.7), near(rand, rows[5999]!.embedding, 0.6), randomUnit(rand, DIM)];

describe('Gallery search (JS path) vs brute force', () => {
  const gallery = Gallery.fromRows(rows, { scorer: 'js' });

  it('stores every row and employee', () => {
    expect(gallery.size).toBe(6000);
    expect(gallery.employeeCount).toBe(300);
    expect(gallery.templateCount(employeeId(1))).toBe(20);
  });

  it('top1 and topK match brute force', async () => {
    for (const q of queries) {
      const want = bruteForce(rows, q);
      const top1 = await gallery.top1(q);
      expect(top1?.row).toBe(want[0]!.index);
      expect(top1?.score).toBeCloseTo(want[0]!.score, 5);
      const top = await gallery.topK(q, 10);
      expect(top.map((m) => m.row)).toEqual(want.slice(0, 10).map((s) => s.index));
      expect(top.map((m) => m.employeeId)).toEqual(want.slice(0, 10).map((s) => s.employeeId));
    }
    expect((await gallery.top1(queries[0]!))?.row).toBe(17);
  });

  it('bestPerEmployee matches brute force (distinct people, best template each)', async () => {
    for (const q of queries) {
      const want = bruteForcePerEmployee(rows, q).slice(0, 5);
      const got = await gallery.bestPerEmployee(q, 5);
      expect(got.map((m) => m.employeeId)).toEqual(want.map((s) => s.employeeId));
      expect(got.map((m) => m.row)).toEqual(want.map((s) => s.index));
      got.forEach((m, i) => expect(m.score).toBeCloseTo(want[i]!.score, 5));
    }
  });

  it('batch queries give the same answers as single queries', async () => {
    const batch = await gallery.bestPerEmployeeBatch(queries, 3);
    const topBatch = await gallery.topKBatch(queries, 4);
    for (let i = 0; i < queries.length; i++) {
      expect(batch[i]).toEqual(await gallery.bestPerEmployee(queries[i]!, 3));
      expect(topBatch[i]).toEqual(await gallery.topK(queries[i]!, 4));
    }
  });

  it('normalises queries and rejects wrong sizes', async () => {
    const scaled = queries[0]!.map((v) => v * 3);
    expect((await gallery.top1(scaled))?.row).toBe(17);
    await expect(gallery.top1(new Float32Array(128))).rejects.toThrow(RangeError);
    expect(() => gallery.add(employeeId(1), new Float32Array(DIM))).toThrow(RangeError);
  });

  it('handles an empty gallery and k larger than the gallery', async () => {
    const empty = new Gallery(DIM);
    expect(await empty.top1(queries[0]!)).toBeUndefined();
    expect(await empty.bestPerEmployee(queries[0]!, 2)).toEqual([]);
    const tiny = Gallery.fromRows(rows.slice(0, 3));
    expect(await tiny.topK(queries[0]!, 10)).toHaveLength(3);
    expect(await tiny.bestPerEmployee(queries[0]!, 10)).toHaveLength(3);
  });
});

describe('Gallery search worker (int8 pass + exact re-scoring on shared blocks)', () => {
  it('gives the same rankings and scores as the JS path', async () => {
    const js = Gallery.fromRows(rows, { scorer: 'js' });
    const ort = Gallery.fromRows(rows, { scorer: 'worker' });
    for (const q of queries) {
      const [a, b] = [await js.topK(q, 10), await ort.topK(q, 10)];
      expect(b.map((m) => m.row)).toEqual(a.map((m) => m.row));
      b.forEach((m, i) => expect(m.score).toBeCloseTo(a[i]!.score, 5));
      const [pa, pb] = [await js.bestPerEmployee(q, 5), await ort.bestPerEmployee(q, 5)];
      expect(pb.map((m) => [m.employeeId, m.row])).toEqual(pa.map((m) => [m.employeeId, m.row]));
      pb.forEach((m, i) => expect(m.score).toBeCloseTo(pa[i]!.score, 5));
    }
    const [batchJs, batchOrt] = [await js.bestPerEmployeeBatch(queries, 3), await ort.bestPerEmployeeBatch(queries, 3)];
    expect(batchOrt.map((l) => l.map((m) => m.row))).toEqual(batchJs.map((l) => l.map((m) => m.row)));
  });

  it("'auto' switches to the worker above workerMinRows and stays correct", async () => {
    const auto = Gallery.fromRows(rows, { workerMinRows: 1000 });
    const want = bruteForce(rows, queries[1]!);
    expect((await auto.top1(queries[1]!))?.row).toBe(want[0]!.index);
  });

  it('stays exact among near-ties (many templates within the int8 error of each other)', async () => {
    const r = rng(5);
    const centre = randomUnit(r, DIM);
    // 3,000 templates of 150 people all at cosine ~0.6-0.62 of one face: ranking them needs the exact pass.
    const crowd = Array.from({ length: 3000 }, (_, i) => ({ employeeId: employeeId(1 + (i % 150)), embedding: near(r, centre, 0.6 + 0.02 * r()) }));
    const worker = Gallery.fromRows(crowd, { scorer: 'worker' });
    const want = bruteForce(crowd, centre);
    expect((await worker.topK(centre, 20)).map((m) => m.row)).toEqual(want.slice(0, 20).map((s) => s.index));
    const perEmployee = bruteForcePerEmployee(crowd, centre).slice(0, 10);
    expect((await worker.bestPerEmployee(centre, 10)).map((m) => m.row)).toEqual(perEmployee.map((s) => s.index));
  });

  it('follows appends and in-place removals between searches (its int8 copy is refreshed)', async () => {
    const list = rows.slice(0, 4000);
    const gallery = Gallery.fromRows(list, { scorer: 'worker' });
    const q = queries[0]!;
    expect((await gallery.top1(q))?.row).toBe(17);
    const victim = list[17]!.employeeId;
    gallery.removeEmployee(victim); // no search in flight: rows are moved in place
    const remaining = list.filter((r) => r.employeeId !== victim);
    const want = bruteForce(remaining, q);
    const got = await gallery.topK(q, 5);
    got.forEach((m, i) => expect(m.score).toBeCloseTo(want[i]!.score, 5));
    expect(got.map((m) => m.employeeId)).toEqual(want.slice(0, 5).map((s) => s.employeeId));
    gallery.add(employeeId(5151), near(rng(8), q, 0.95));
    expect(await gallery.bestPerEmployee(q, 1)).toMatchObject([{ employeeId: 5151 }]);
    expect((await gallery.bestPerEmployee(q, 1))[0]!.score).toBeCloseTo(0.95, 2);
  });
});

describe('Gallery mutations', () => {
  const fresh = (): { gallery: Gallery; list: GalleryRow[] } => {
    const list = rows.slice(0, 2500);
    return { gallery: Gallery.fromRows(list, { scorer: 'js' }), list };
  };

  it('removeEmployee swap-compacts and searches stay exact', async () => {
    const { gallery, list } = fresh();
    const victim = list[17]!.employeeId;
    const before = gallery.templateCount(victim);
    expect(gallery.removeEmployee(victim)).toBe(before);
    expect(gallery.templateCount(victim)).toBe(0);
    expect(gallery.size).toBe(2500 - before);
    const remaining = list.filter((r) => r.employeeId !== victim);
    for (const q of queries) {
      const top = await gallery.topK(q, 5);
      const want = bruteForce(remaining, q).slice(0, 5);
      top.forEach((m, i) => expect(m.score).toBeCloseTo(want[i]!.score, 5));
      expect(top.map((m) => m.employeeId)).toEqual(want.map((s) => s.employeeId));
      expect((await gallery.bestPerEmployee(q, 300)).some((m) => m.employeeId === victim)).toBe(false);
    }
    // Stored rows still hold their own vectors after the moves.
    for (const m of await gallery.topK(queries[0]!, 20)) {
      const original = remaining.find((r) => r.embedding.every((v, j) => Math.abs(v - gallery.template(m.row)[j]!) < 1e-6));
      expect(original?.employeeId).toBe(m.employeeId);
    }
  });

  it('re-adding and replacing an employee works', async () => {
    const { gallery } = fresh();
    const q = queries[2]!;
    gallery.replaceEmployee(employeeId(999), [near(rng(1), q, 0.9), near(rng(2), q, 0.8)]);
    const best = await gallery.bestPerEmployee(q, 2);
    expect(best[0]?.employeeId).toBe(999);
    expect(best[0]?.score).toBeCloseTo(0.9, 2);
    gallery.replaceEmployee(employeeId(999), [near(rng(3), q, 0.5)]);
    expect(gallery.templateCount(employeeId(999))).toBe(1);
    expect((await gallery.top1(q))?.score).toBeCloseTo(0.5, 2);
  });

  it('removes the last rows and whole blocks', async () => {
    const list = [...rows.slice(0, 1030), ...Array.from({ length: 40 }, () => ({ employeeId: employeeId(777), embedding: randomUnit(rand, DIM) }))];
    const gallery = Gallery.fromRows(list, { scorer: 'js' });
    gallery.removeEmployee(employeeId(777));
    expect(gallery.size).toBe(1030);
    const want = bruteForce(list.slice(0, 1030), queries[0]!);
    expect((await gallery.top1(queries[0]!))?.row).toBe(want[0]!.index);
  });

  for (const scorer of ['js', 'worker'] as const) {
    it(`a search in flight sees the gallery as it began (${scorer})`, async () => {
      const list = rows.slice(0, 5000);
      const gallery = Gallery.fromRows(list, { scorer });
      const q = queries[0]!; // closest to row 17
      const victim = list[17]!.employeeId;
      const pending = gallery.top1(q);
      gallery.removeEmployee(victim);
      gallery.add(employeeId(4242), randomUnit(rand, DIM));
      expect((await pending)?.row).toBe(17);
      expect((await pending)?.employeeId).toBe(victim);
      const after = await gallery.top1(q);
      expect(after?.employeeId).not.toBe(victim);
      const want = bruteForce(list.filter((r) => r.employeeId !== victim), q);
      expect(after?.score).toBeCloseTo(want[0]!.score, 5);
    });
  }
});
