// WorkerPool against real worker threads running test/engine/pool/fixtures/test-worker.ts (through tsx).
import { afterEach, describe, expect, test } from 'vitest';
import {
  PoolClosedError,
  PoolQueueFullError,
  TaskTimeoutError,
  WorkerCrashedError,
  WorkerInitError,
} from '../../../src/engine/pool/pool-errors.js';
import type { PoolOptions } from '../../../src/engine/pool/pool-options.js';
import { WorkerPool } from '../../../src/engine/pool/worker-pool.js';
import { fixtureWorker } from './fixtures/test-worker-types.js';
import type { FixtureTask, FixtureWorkerData } from './fixtures/test-worker-types.js';

type Reply = { threadId: number; value?: unknown; aborted?: boolean };

const pools: Array<WorkerPool<FixtureTask, unknown>> = [];

function makePool(
  overrides: Partial<PoolOptions> & { workerData?: FixtureWorkerData } = {},
): WorkerPool<FixtureTask, Reply> {
  const pool = new WorkerPool<FixtureTask, Reply>({
    workerFile: fixtureWorker,
    size: 1,
    queueLimit: 8,
    taskTimeoutMs: 5_000,
    name: 'test',
    ...overrides,
  });
  pools.push(pool);
  return pool;
}

afterEach(async () => {
  await Promise.all(pools.splice(0).map((p) => p.close()));
});

/** Settles a promise into a value so tests can assert on rejections without unhandled-rejection noise. */
async function outcome<T>(p: Promise<T>): Promise<{ ok: true; value: T } | { ok: false; error: Error }> {
  try {
    return { ok: true, value: await p };
  } catch (error) {
    return { ok: false, error: error as Error };
  }
}

describe('WorkerPool', () => {
  test('runs a task in a worker thread and counts it', async () => {
    const pool = makePool();
    await pool.ready();
    const reply = await pool.run({ op: 'echo', value: { a: [1, 2] } });
    expect(reply.value).toEqual({ a: [1, 2] });
    expect(reply.threadId).toBeGreaterThan(0);
    const stats = pool.stats();
    expect(stats).toMatchObject({ size: 1, busy: 0, idle: 1, queueDepth: 0, completed: 1, failed: 0, restarts: 0 });
    expect(stats.latencyMs.max).toBeGreaterThan(0);
  });

  test('two workers run two blocking tasks at the same time', async () => {
    const pool = makePool({ size: 2 });
    await pool.ready();
    const t0 = performance.now();
    const [a, b] = await Promise.all([pool.run({ op: 'block', ms: 300 }), pool.run({ op: 'block', ms: 300 })]);
    const elapsed = performance.now() - t0;
    expect(a.threadId).not.toBe(b.threadId);
    expect(elapsed).toBeLessThan(550);
  });

  test('one task at a time per worker by default; concurrencyPerWorker lifts it', async () => {
    const serial = makePool({ size: 1 });
    await serial.ready();
    let t0 = performance.now();
    await Promise.all([serial.run({ op: 'sleep', ms: 200 }), serial.run({ op: 'sleep', ms: 200 })]);
    expect(performance.now() - t0).toBeGreaterThanOrEqual(390);

    const shared = makePool({ size: 1, concurrencyPerWorker: 2 });
    await shared.ready();
    t0 = performance.now();
    const [a, b] = await Promise.all([shared.run({ op: 'sleep', ms: 200 }), shared.run({ op: 'sleep', ms: 200 })]);
    expect(performance.now() - t0).toBeLessThan(380);
    expect(a.threadId).toBe(b.threadId);
  });

  test('rejects at once with QUEUE_FULL when queueLimit tasks are waiting', async () => {
    const pool = makePool({ size: 1, queueLimit: 1 });
    await pool.ready();
    const inflight = pool.run({ op: 'sleep', ms: 300 });
    const queued = pool.run({ op: 'echo', value: 'queued' });
    expect(pool.stats()).toMatchObject({ busy: 1, queueDepth: 1 });
    const t0 = performance.now();
    const rejected = await outcome(pool.run({ op: 'echo', value: 'too many' }));
    expect(performance.now() - t0).toBeLessThan(50);
    expect(rejected.ok).toBe(false);
    if (!rejected.ok) {
      expect(rejected.error).toBeInstanceOf(PoolQueueFullError);
      expect((rejected.error as PoolQueueFullError).code).toBe('QUEUE_FULL');
    }
    await inflight;
    expect((await queued).value).toBe('queued');
  });

  test('a timed-out task rejects with TASK_TIMEOUT and a fresh worker serves the next task', async () => {
    const pool = makePool({ size: 1, taskTimeoutMs: 300 });
    await pool.ready();
    const before = await pool.run({ op: 'echo', value: 1 });
    const t0 = performance.now();
    const hung = await outcome(pool.run({ op: 'hang' }));
    const elapsed = performance.now() - t0;
    expect(hung.ok).toBe(false);
    if (!hung.ok) {
      expect(hung.error).toBeInstanceOf(TaskTimeoutError);
      expect((hung.error as TaskTimeoutError).code).toBe('TASK_TIMEOUT');
    }
    expect(elapsed).toBeGreaterThanOrEqual(290);
    expect(elapsed).toBeLessThan(1_000);
    const after = await pool.run({ op: 'echo', value: 2 });
    expect(after.value).toBe(2);
    expect(after.threadId).not.toBe(before.threadId);
    expect(pool.stats()).toMatchObject({ timedOut: 1, failed: 1, restarts: 1, completed: 2 });
  });

  test('per-task timeoutMs overrides; other tasks on the stuck worker are rejected as crashed', async () => {
    const pool = makePool({ size: 1, concurrencyPerWorker: 2, taskTimeoutMs: 10_000 });
    await pool.ready();
    const bystander = outcome(pool.run({ op: 'sleep', ms: 3_000 }));
    const hung = await outcome(pool.run({ op: 'hang' }, { timeoutMs: 200 }));
    expect(hung.ok || (hung.error as TaskTimeoutError).code).toBe('TASK_TIMEOUT');
    const other = await bystander;
    expect(other.ok || (other.error as WorkerCrashedError).code).toBe('WORKER_CRASHED');
    expect((await pool.run({ op: 'echo', value: 'alive' })).value).toBe('alive');
  });

  test('aborting a queued task removes it from the queue', async () => {
    const pool = makePool({ size: 1 });
    await pool.ready();
    const inflight = pool.run({ op: 'sleep', ms: 300 });
    const controller = new AbortController();
    const queued = outcome(pool.run({ op: 'echo', value: 'never' }, { signal: controller.signal }));
    expect(pool.stats().queueDepth).toBe(1);
    controller.abort();
    const result = await queued;
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.error.name).toBe('AbortError');
    }
    expect(pool.stats().queueDepth).toBe(0);
    await inflight;
    expect(pool.stats().completed).toBe(1);
  });

  test('aborting an in-flight task rejects at once and cancels the handler', async () => {
    const pool = makePool({ size: 1 });
    await pool.ready();
    const controller = new AbortController();
    const t0 = performance.now();
    const running = outcome(pool.run({ op: 'sleep', ms: 3_000 }, { signal: controller.signal }));
    setTimeout(() => controller.abort(new Error('client went away')), 100);
    const result = await running;
    expect(performance.now() - t0).toBeLessThan(400);
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.error.name).toBe('AbortError');
      expect((result.error.cause as Error).message).toBe('client went away');
    }
    // The handler saw the abort and stopped, so the single worker is free well before 3 s.
    const next = await pool.run({ op: 'echo', value: 'next' }, { timeoutMs: 1_000 });
    expect(next.value).toBe('next');
    expect(performance.now() - t0).toBeLessThan(1_000);
    expect(pool.stats().completed).toBe(1);
  });

  test('an already-aborted signal rejects without running', async () => {
    const pool = makePool();
    const result = await outcome(pool.run({ op: 'echo', value: 1 }, { signal: AbortSignal.abort() }));
    expect(result.ok || result.error.name).toBe('AbortError');
    await pool.ready();
    expect(pool.stats().completed).toBe(0);
  });

  test('process.exit in a task rejects it with WORKER_CRASHED and the pool keeps serving', async () => {
    const pool = makePool({ size: 2 });
    await pool.ready();
    const neighbour = pool.run({ op: 'sleep', ms: 200 });
    const crashed = await outcome(pool.run({ op: 'exit', code: 3 }));
    expect(crashed.ok).toBe(false);
    if (!crashed.ok) {
      expect(crashed.error).toBeInstanceOf(WorkerCrashedError);
      expect((crashed.error as WorkerCrashedError).code).toBe('WORKER_CRASHED');
      expect((crashed.error as WorkerCrashedError).exitCode).toBe(3);
    }
    expect((await neighbour).aborted).toBe(false);
    const results = await Promise.all([1, 2, 3, 4].map((value) => pool.run({ op: 'echo', value })));
    expect(results.map((r) => r.value)).toEqual([1, 2, 3, 4]);
    expect(pool.stats()).toMatchObject({ restarts: 1, failed: 1 });
  });

  test('an uncaught exception thrown from a timer crashes the worker; the error is the cause', async () => {
    const pool = makePool({ size: 1 });
    await pool.ready();
    const crashed = await outcome(pool.run({ op: 'throw-async' }));
    expect(crashed.ok).toBe(false);
    if (!crashed.ok) {
      expect((crashed.error as WorkerCrashedError).code).toBe('WORKER_CRASHED');
      expect((crashed.error.cause as Error).message).toBe('boom from a timer');
    }
    expect((await pool.run({ op: 'echo', value: 'ok' })).value).toBe('ok');
  });

  test('running out of memory (resourceLimits) is a crash, not a hang', async () => {
    const pool = makePool({ size: 1, resourceLimits: { maxOldGenerationSizeMb: 32 } });
    await pool.ready();
    const crashed = await outcome(pool.run({ op: 'oom' }));
    expect(crashed.ok).toBe(false);
    if (!crashed.ok) {
      expect((crashed.error as WorkerCrashedError).code).toBe('WORKER_CRASHED');
      expect((crashed.error.cause as { code?: string }).code).toBe('ERR_WORKER_OUT_OF_MEMORY');
    }
    expect((await pool.run({ op: 'echo', value: 'ok' })).value).toBe('ok');
  });

  test('errors thrown in the worker keep name, code, own props and stack', async () => {
    const pool = makePool();
    await pool.ready();
    const thrown = await outcome(pool.run({ op: 'throw-coded', bytes: 17 }));
    expect(thrown.ok).toBe(false);
    if (!thrown.ok) {
      const err = thrown.error as Error & { code?: string; details?: unknown };
      expect(err).toBeInstanceOf(Error);
      expect(err.name).toBe('ImageDecodeError');
      expect(err.code).toBe('INVALID_IMAGE');
      expect(err.message).toBe('not an image');
      expect(err.details).toEqual({ bytes: 17 });
      expect(err.stack).toContain('test-worker');
    }
    const str = await outcome(pool.run({ op: 'throw-string' }));
    expect(str.ok || str.error.message).toBe('plain string');
    // A throwing handler is not a crash: same worker, no restart.
    expect(pool.stats()).toMatchObject({ failed: 2, restarts: 0 });
  });

  test('typed arrays are transferred both ways', async () => {
    const pool = makePool();
    await pool.ready();
    const data = new Float64Array([1, 2, 3.5]);
    const sum = await pool.run({ op: 'sum', data }, { transfer: [data.buffer] });
    expect(sum).toBe(6.5);
    expect(data.byteLength).toBe(0); // moved, not copied
    const floats = (await pool.run({ op: 'floats', length: 1024, fill: 0.25 })) as unknown as Float32Array;
    expect(floats).toBeInstanceOf(Float32Array);
    expect(floats.length).toBe(1024);
    expect(floats[1023]).toBe(0.25);
  });

  test('ready() waits for init; tasks submitted earlier are queued and served', async () => {
    const t0 = performance.now();
    const pool = makePool({ size: 2, workerData: { initDelayMs: 300 } });
    const early = pool.run({ op: 'echo', value: 'early' });
    expect(pool.stats()).toMatchObject({ starting: 2, queueDepth: 1 });
    await pool.ready();
    expect(performance.now() - t0).toBeGreaterThanOrEqual(295);
    expect((await early).value).toBe('early');
  });

  test('a failing init rejects ready(), fails tasks fast and backs off restarts', async () => {
    const pool = makePool({
      size: 1,
      workerData: { failInit: true },
      restartBackoff: { initialMs: 400, maxMs: 1_600 },
    });
    const ready = await outcome(pool.ready());
    expect(ready.ok).toBe(false);
    if (!ready.ok) {
      expect(ready.error).toBeInstanceOf(WorkerInitError);
      expect((ready.error as WorkerInitError).code).toBe('WORKER_INIT_FAILED');
      expect((ready.error.cause as { code?: string }).code).toBe('MODEL_MISSING');
    }
    const t0 = performance.now();
    const task = await outcome(pool.run({ op: 'echo', value: 1 }));
    expect(performance.now() - t0).toBeLessThan(50);
    expect(task.ok || (task.error as WorkerInitError).code).toBe('WORKER_INIT_FAILED');
    // No respawn before the first backoff step ...
    await new Promise((resolve) => setTimeout(resolve, 250));
    expect(pool.stats().restarts).toBe(0);
    // ... then 400 ms, 800 ms, 1600 ms apart (plus start-up time): not a restart storm.
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    const { restarts } = pool.stats();
    expect(restarts).toBeGreaterThanOrEqual(1);
    expect(restarts).toBeLessThanOrEqual(2);
  });

  test('close() rejects queued tasks, lets in-flight ones finish, and refuses new ones', async () => {
    const pool = makePool({ size: 1 });
    await pool.ready();
    const inflight = pool.run({ op: 'sleep', ms: 200 });
    const queued = outcome(pool.run({ op: 'echo', value: 'queued' }));
    await pool.close();
    expect((await inflight).aborted).toBe(false);
    const q = await queued;
    expect(q.ok || q.error).toBeInstanceOf(PoolClosedError);
    const late = await outcome(pool.run({ op: 'echo', value: 'late' }));
    expect(late.ok || (late.error as PoolClosedError).code).toBe('POOL_CLOSED');
    expect(pool.stats()).toMatchObject({ idle: 0, busy: 0, starting: 0 });
  });

  test('close() is bounded: a stuck task is rejected after closeTimeoutMs', async () => {
    const pool = makePool({ size: 1, closeTimeoutMs: 200 });
    await pool.ready();
    const stuck = outcome(pool.run({ op: 'hang' }));
    const t0 = performance.now();
    await pool.close();
    expect(performance.now() - t0).toBeLessThan(1_000);
    const s = await stuck;
    expect(s.ok || (s.error as PoolClosedError).code).toBe('POOL_CLOSED');
  });

  test('latency percentiles are ordered and reflect task time', async () => {
    const pool = makePool({ size: 1 });
    await pool.ready();
    for (let i = 0; i < 5; i++) {
      await pool.run({ op: 'sleep', ms: 20 });
    }
    await pool.run({ op: 'sleep', ms: 120 });
    const { latencyMs } = pool.stats();
    expect(latencyMs.p50).toBeGreaterThanOrEqual(19);
    expect(latencyMs.p50).toBeLessThan(100);
    expect(latencyMs.max).toBeGreaterThanOrEqual(119);
    expect(latencyMs.p50).toBeLessThanOrEqual(latencyMs.p95);
    expect(latencyMs.p95).toBeLessThanOrEqual(latencyMs.max);
  });
});
