// The int8 search path on its own: the SIMD kernel against a plain int8 dot product, the error
// bound the exact re-scoring relies on, and exactness of the search lanes on face-like clustered
// galleries (where every score sits in a narrow band, the hard case for a coarse pass) and on
// embedding sizes that are not a multiple of the kernel's step.
import { describe, expect, it } from 'vitest';
import { employeeId } from '../../src/domain/ids.js';
import { Gallery } from '../../src/vision/gallery.js';
import { codeLayout, codeMemory, quantizeRow } from '../../src/vision/gallery-int8-codes.js';
import { int8Kernel } from '../../src/vision/gallery-int8-kernel.js';
import { sharedGallerySearchLanes } from '../../src/vision/gallery-search-pool.js';
import { bruteForce, bruteForcePerEmployee, dot, faceLikeProbes, faceLikeRows, near, randomRows, randomUnit, rng } from './gallery-fixtures.js';

describe('int8 kernel (WebAssembly SIMD)', () => {
  for (const dim of [512, 100, 64]) {
    it(`equals a plain int8 dot product times the row scale (dim ${dim})`, () => {
      const rand = rng(dim);
      const cap = 300;
      const layout = codeLayout(dim, cap);
      expect(layout.stride % 64).toBe(0);
      const memory = codeMemory(layout);
      const codes = new Int8Array(memory.buffer, 0, cap * layout.stride);
      const inv = new Float32Array(memory.buffer, layout.inv, cap);
      // Extreme codes included: +-127 everywhere must not overflow.
      for (let r = 0; r < cap; r++) {
        for (let j = 0; j < dim; j++) {
          codes[r * layout.stride + j] = r === 0 ? 127 : r === 1 ? -127 : Math.round((rand() * 2 - 1) * 127);
        }
        inv[r] = 0.25 + rand();
      }
      const lane = 1;
      const q = new Int16Array(memory.buffer, layout.laneQuery[lane], layout.stride);
      for (let j = 0; j < dim; j++) {
        q[j] = j % 7 === 0 ? 127 : Math.round((rand() * 2 - 1) * 127);
      }
      const out = new Float32Array(memory.buffer, layout.laneOut[lane], cap);
      const scan = int8Kernel(memory);
      // Rows 5..cap-1 only: the offsets select a slice, rows outside it stay untouched.
      out.fill(-7);
      scan(layout.laneQuery[lane]!, 5 * layout.stride, layout.inv + 5 * 4, layout.laneOut[lane]! + 5 * 4, cap - 5, layout.stride);
      for (let r = 0; r < cap; r++) {
        let s = 0;
        for (let j = 0; j < dim; j++) {
          s += codes[r * layout.stride + j]! * q[j]!;
        }
        expect(out[r]).toBe(r < 5 ? -7 : Math.fround(s * inv[r]!));
      }
      scan(layout.laneQuery[lane]!, 0, layout.inv, layout.laneOut[lane]!, 0, layout.stride);
    });
  }

  it('quantised rows stay within the bound the search uses', () => {
    const rand = rng(3);
    const dim = 512;
    const layout = codeLayout(dim, 200);
    const memory = codeMemory(layout);
    const codes = new Int8Array(memory.buffer, 0, 200 * layout.stride);
    const inv = new Float32Array(memory.buffer, layout.inv, 200);
    for (let r = 0; r < 200; r++) {
      const v = randomUnit(rand, dim);
      const { inv: scale, l1 } = quantizeRow(v, codes, inv, r, layout.stride);
      let err = 0;
      let sum = 0;
      for (let j = 0; j < dim; j++) {
        const d = codes[r * layout.stride + j]! * scale;
        err = Math.max(err, Math.abs(d - v[j]!));
        sum += Math.abs(d);
      }
      expect(err).toBeLessThanOrEqual(scale / 2 + 1e-7);
      expect(l1).toBeCloseTo(sum, 4);
      for (let j = dim; j < layout.stride; j++) {
        expect(codes[r * layout.stride + j]).toBe(0);
      }
    }
  });
});

describe('search lanes on face-like clustered galleries', () => {
  // 600 people x 20 templates, people at cosine ~0.15 of each other, a person's templates at ~0.7:
  // the exact answer has to come from the re-scoring, the int8 scores alone often get it wrong.
  const employees = 600;
  const rows = faceLikeRows(employees, 20, 5);
  const probes = faceLikeProbes(employees, 5, 24, 6);
  const exact = Gallery.fromRows(rows, { scorer: 'js' });

  it('top-1, top-k and best per employee equal the exact scan for every probe (known people and strangers)', async () => {
    const lanes = Gallery.fromRows(rows, { scorer: 'worker' });
    for (const p of probes) {
      const [want, got] = [await exact.topK(p, 5), await lanes.topK(p, 5)];
      expect(got.map((m) => m.row)).toEqual(want.map((m) => m.row));
      expect(got.map((m) => m.score)).toEqual(want.map((m) => m.score));
      const [wantE, gotE] = [await exact.bestPerEmployee(p, 3), await lanes.bestPerEmployee(p, 3)];
      expect(gotE).toEqual(wantE);
    }
    // The reference itself against a float64 brute force.
    const b = bruteForce(rows, probes[0]!);
    expect((await exact.top1(probes[0]!))?.row).toBe(b[0]!.index);
    expect((await exact.bestPerEmployee(probes[0]!, 2)).map((m) => m.row)).toEqual(bruteForcePerEmployee(rows, probes[0]!).slice(0, 2).map((s) => s.index));
    // Only a shortlist is re-scored (the point of the int8 pass), and it is measured.
    const stats = lanes.searchStats();
    expect(stats.laneQueries).toBe(probes.length * 2);
    expect(stats.rescoredRows / stats.laneQueries).toBeLessThan(rows.length / 10);
  });

  it('the int8 pass alone would misrank: the re-scoring is what makes it exact', async () => {
    // Same gallery, scores from the codes only (what the lanes would answer without re-scoring).
    const dim = 512;
    const layout = codeLayout(dim, rows.length);
    const memory = codeMemory(layout);
    const codes = new Int8Array(memory.buffer, 0, rows.length * layout.stride);
    const inv = new Float32Array(memory.buffer, layout.inv, rows.length);
    rows.forEach((r, i) => quantizeRow(r.embedding, codes, inv, i, layout.stride));
    let misranked = 0;
    for (const p of probes.slice(0, 12)) {
      const approx = rows.map((_, i) => {
        let s = 0;
        for (let j = 0; j < dim; j++) {
          s += codes[i * layout.stride + j]! * p[j]!;
        }
        return s * inv[i]!;
      });
      const order = approx.map((_, i) => i).sort((a, b) => approx[b]! - approx[a]!);
      const want = (await exact.topK(p, 5)).map((m) => m.row);
      misranked += order.slice(0, 5).some((row, i) => row !== want[i]) ? 1 : 0;
    }
    expect(misranked).toBeGreaterThan(0);
  });

  it('batches of faces give each face its single-query answer', async () => {
    const lanes = Gallery.fromRows(rows, { scorer: 'worker' });
    const batch = probes.slice(0, 7);
    const [perEmployee, top] = [await lanes.bestPerEmployeeBatch(batch, 3), await lanes.topKBatch(batch, 2)];
    for (const [i, p] of batch.entries()) {
      expect(perEmployee[i]).toEqual(await exact.bestPerEmployee(p, 3));
      expect(top[i]).toEqual(await exact.topK(p, 2));
    }
  });

  it('one lane or two give the same answer', async () => {
    const one = Gallery.fromRows(rows, { scorer: 'worker', searchLanes: () => sharedGallerySearchLanes().slice(0, 1) });
    const two = Gallery.fromRows(rows, { scorer: 'worker' });
    const [a, b] = [await one.bestPerEmployeeBatch(probes, 4), await two.bestPerEmployeeBatch(probes, 4)];
    expect(b).toEqual(a);
    expect(await one.topKBatch(probes, 3)).toEqual(await exact.topKBatch(probes, 3));
  });
});

describe('search lanes, best per employee when one person fills the top rows', () => {
  it('an employee with more templates near the query than the lanes look at first still leaves the others exact', async () => {
    const rand = rng(77);
    const dim = 512;
    const q = randomUnit(rand, dim);
    // Employee 1: 300 templates all closer to the query than anyone else's (a big imported set),
    // in the same rows of the first block (so the same lane) as the runners-up 400-403.
    const rows = [
      ...Array.from({ length: 20 }, (_, i) => ({ employeeId: employeeId(400 + (i % 4)), embedding: near(rand, q, 0.3 + 0.01 * i) })),
      ...Array.from({ length: 300 }, () => ({ employeeId: employeeId(1), embedding: near(rand, q, 0.8 + 0.1 * rand()) })),
      ...randomRows(rand, 6000, 300, dim).map((r) => ({ ...r, employeeId: employeeId(Number(r.employeeId) + 1) })),
    ];
    const [exact, lanes] = [Gallery.fromRows(rows, { scorer: 'js' }), Gallery.fromRows(rows, { scorer: 'worker' })];
    expect(await lanes.bestPerEmployee(q, 4)).toEqual(await exact.bestPerEmployee(q, 4));
    expect((await lanes.bestPerEmployee(q, 4)).map((m) => m.employeeId)).toEqual([1, 403, 402, 401]);
    expect(await lanes.topK(q, 70)).toEqual(await exact.topK(q, 70));
  });
});

describe('search lanes with embedding sizes off the kernel step', () => {
  for (const dim of [128, 100]) {
    it(`dim ${dim}: equals the exact scan`, async () => {
      const rand = rng(dim);
      const rows = randomRows(rand, 5000, 250, dim);
      const lanes = Gallery.fromRows(rows, { scorer: 'worker' });
      for (let i = 0; i < 5; i++) {
        const q = randomUnit(rand, dim);
        const want = bruteForce(rows, q);
        const got = await lanes.topK(q, 3);
        expect(got.map((m) => m.row)).toEqual(want.slice(0, 3).map((s) => s.index));
        got.forEach((m) => expect(m.score).toBeCloseTo(dot(rows[m.row]!.embedding, q), 5));
      }
      lanes.add(employeeId(9999), randomUnit(rand, dim));
      expect(lanes.size).toBe(5001);
    });
  }
});
