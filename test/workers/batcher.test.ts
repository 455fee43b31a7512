import { describe, expect, test } from 'vitest';
import { BatcherClosedError, BatchResultMismatchError, MicroBatcher } from '../../src/workers/batcher.js';

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** A batcher whose run doubles numbers and records every batch it was given. */
function doubler(opts: { maxBatchSize: number; maxWaitMs: number; delayMs?: number }) {
  const batches: number[][] = [];
  const signals: AbortSignal[] = [];
  const batcher = new MicroBatcher<number, number>({
    ...opts,
    run: async (items, { signal }) => {
      batches.push(items);
      signals.push(signal);
      if (opts.delayMs) {
        await sleep(opts.delayMs);
      }
      return items.map((n) => n * 2);
    },
  });
  return { batcher, batches, signals };
}

describe('MicroBatcher', () => {
  test('items submitted within the window run as one call, each caller gets its own result', async () => {
    const { batcher, batches } = doubler({ maxBatchSize: 16, maxWaitMs: 5 });
    const results = await Promise.all([1, 2, 3].map((n) => batcher.submit(n)));
    expect(results).toEqual([2, 4, 6]);
    expect(batches).toEqual([[1, 2, 3]]);
  });

  test('a full batch flushes at once, without waiting for the window', async () => {
    const { batcher, batches } = doubler({ maxBatchSize: 2, maxWaitMs: 10_000 });
    const t0 = performance.now();
    const results = await Promise.all([1, 2, 3, 4, 5].map((n) => batcher.submit(n)).slice(0, 4));
    expect(performance.now() - t0).toBeLessThan(100);
    expect(results).toEqual([2, 4, 6, 8]);
    expect(batches).toEqual([
      [1, 2],
      [3, 4],
    ]);
    expect(batcher.pending).toBe(1); // 5 waits for its window
    batcher.flush();
    await batcher.close();
    expect(batches.at(-1)).toEqual([5]);
  });

  test('items arriving after the window go into the next batch', async () => {
    const { batcher, batches } = doubler({ maxBatchSize: 16, maxWaitMs: 5 });
    const first = batcher.submit(1);
    await sleep(30);
    const second = batcher.submit(2);
    expect(await Promise.all([first, second])).toEqual([2, 4]);
    expect(batches).toEqual([[1], [2]]);
  });

  test('maxWaitMs 0 batches what was submitted in the same tick', async () => {
    const { batcher, batches } = doubler({ maxBatchSize: 16, maxWaitMs: 0 });
    await Promise.all([batcher.submit(1), batcher.submit(2)]);
    await batcher.submit(3);
    expect(batches).toEqual([[1, 2], [3]]);
  });

  test('a failing run rejects every caller of that batch only', async () => {
    let calls = 0;
    const batcher = new MicroBatcher<number, number>({
      maxBatchSize: 2,
      maxWaitMs: 5,
      run: async (items) => {
        calls++;
        if (items.includes(13)) {
          throw Object.assign(new Error('unlucky'), { code: 'UNLUCKY' });
        }
        return items;
      },
    });
    const results = await Promise.allSettled([batcher.submit(13), batcher.submit(1), batcher.submit(2)]);
    expect(results.map((r) => r.status)).toEqual(['rejected', 'rejected', 'fulfilled']);
    expect(results[0]?.status === 'rejected' && (results[0].reason as { code: string }).code).toBe('UNLUCKY');
    expect(calls).toBe(2);
  });

  test('a run returning the wrong number of results rejects with BATCH_RESULT_MISMATCH', async () => {
    const batcher = new MicroBatcher<number, number>({ maxBatchSize: 4, maxWaitMs: 1, run: async (items) => items.slice(1) });
    const results = await Promise.allSettled([batcher.submit(1), batcher.submit(2)]);
    for (const r of results) {
      expect(r.status === 'rejected' && r.reason).toBeInstanceOf(BatchResultMismatchError);
    }
  });

  test('aborting a waiting item removes it from the batch', async () => {
    const { batcher, batches } = doubler({ maxBatchSize: 16, maxWaitMs: 20 });
    const controller = new AbortController();
    const aborted = batcher.submit(1, { signal: controller.signal });
    const kept = batcher.submit(2);
    controller.abort();
    await expect(aborted).rejects.toMatchObject({ name: 'AbortError' });
    expect(await kept).toBe(4);
    expect(batches).toEqual([[2]]);
  });

  test('aborting a running item rejects at once; the batch signal fires only when all callers left', async () => {
    const { batcher, signals } = doubler({ maxBatchSize: 2, maxWaitMs: 1, delayMs: 300 });
    const a = new AbortController();
    const b = new AbortController();
    const pa = batcher.submit(1, { signal: a.signal });
    const pb = batcher.submit(2, { signal: b.signal });
    await sleep(20);
    const t0 = performance.now();
    a.abort();
    await expect(pa).rejects.toMatchObject({ name: 'AbortError' });
    expect(performance.now() - t0).toBeLessThan(100);
    expect(signals[0]?.aborted).toBe(false);
    b.abort();
    await expect(pb).rejects.toMatchObject({ name: 'AbortError' });
    expect(signals[0]?.aborted).toBe(true);
  });

  test('close() runs what is waiting, waits for it, then refuses new items', async () => {
    const { batcher, batches } = doubler({ maxBatchSize: 16, maxWaitMs: 10_000, delayMs: 50 });
    const waiting = batcher.submit(21);
    await batcher.close();
    expect(batches).toEqual([[21]]);
    expect(await waiting).toBe(42);
    await expect(batcher.submit(1)).rejects.toBeInstanceOf(BatcherClosedError);
    expect(batcher.stats()).toMatchObject({ batches: 1, items: 1, pending: 0, running: 0 });
  });
});
