// A generic worker-thread pool (main side), in the spirit of piscina and
// graphql-hive's worker scheduler: bounded queue, per-task timeout, AbortSignal,
// crashed/stuck workers replaced with backoff, errors re-created with their
// `name` and `code`, latency stats. The parts: options and stats in
// pool-options.ts, the queue in task-queue.ts, one worker and its tasks in
// worker-slot.ts, restarts in restart-backoff.ts, ready() in ready-latch.ts; the worker side is
// `serveTasks` in serve-tasks.ts and the protocol is in protocol.ts.
import type { Logger } from 'pino';
import { LatencyWindow } from '../../math/latency-window.js';
import {
  PoolClosedError,
  PoolQueueFullError,
  TaskAbortedError,
  TaskTimeoutError,
  WorkerCrashedError,
  WorkerInitError,
} from './pool-errors.js';
import { resolvePoolOptions } from './pool-options.js';
import type { PoolOptions, PoolStats, ResolvedPoolOptions, RunOptions } from './pool-options.js';
import type { MainToWorker, WorkerToMain } from './protocol.js';
import { ReadyLatch } from './ready-latch.js';
import { RestartBackoff } from './restart-backoff.js';
import { deserializeError } from './serialize-error.js';
import { FifoTaskQueue, type TaskQueue } from './task-queue.js';
import { countSlots, exitDescription, settle, startWorkerSlot } from './worker-slot.js';
import type { PendingTask, SlotEvents, WorkerSlot } from './worker-slot.js';
import { workerUrl } from './worker-url.js';

export class WorkerPool<TTask, TResult> {
  private readonly opts: ResolvedPoolOptions;
  private readonly log: Logger | undefined;
  private readonly entry: URL;
  private readonly slots = new Set<WorkerSlot<TTask>>();
  private readonly queue: TaskQueue<PendingTask<TTask>> = new FifoTaskQueue();
  private readonly latency: LatencyWindow;
  private readonly backoff: RestartBackoff;
  private readonly events: SlotEvents<TTask> = {
    message: (slot, msg) => this.onMessage(slot, msg),
    exit: (slot, code) => this.onExit(slot, code),
    initTimeout: (slot) => this.initFailed(slot, new Error(`worker did not finish init within ${this.opts.initTimeoutMs} ms`)),
    messageError: (slot, err) => this.log?.error({ err, threadId: slot.worker.threadId }, 'worker message could not be deserialized'),
  };
  private nextId = 1;
  private completed = 0;
  private failed = 0;
  private timedOut = 0;
  private restarts = 0;
  /** Set when init failed and no worker is live: run() fails fast instead of queueing forever. */
  private broken: Error | undefined;
  private closed = false;
  private closePromise: Promise<void> | undefined;
  private idleWaiters: Array<() => void> = [];

  /** ready(): the initial workers finished init. */
  private readonly initialReady: ReadyLatch;

  constructor(opts: PoolOptions) {
    this.opts = resolvePoolOptions(opts);
    this.log = opts.logger?.child({ component: 'worker-pool', pool: opts.name });
    this.entry = workerUrl(opts.workerFile);
    this.latency = new LatencyWindow(opts.latencyWindow ?? 1000);
    this.backoff = new RestartBackoff(this.opts.restartBackoff);
    this.initialReady = new ReadyLatch(opts.size);
    for (let i = 0; i < opts.size; i++) {
      this.spawn(true);
    }
  }

  run(task: TTask, options: RunOptions = {}): Promise<TResult> {
    if (this.closed) {
      return Promise.reject(new PoolClosedError(this.opts.name));
    }
    const { signal } = options;
    if (signal?.aborted) {
      return Promise.reject(new TaskAbortedError(signal.reason));
    }
    if (this.broken) {
      return Promise.reject(new WorkerInitError(this.opts.name, { cause: this.broken }));
    }
    return new Promise<TResult>((resolve, reject) => {
      const pending: PendingTask<TTask> = {
        id: this.nextId++,
        task,
        transfer: options.transfer,
        timeoutMs: options.timeoutMs ?? this.opts.taskTimeoutMs,
        submittedAt: performance.now(),
        // The thread boundary: what the worker posts is the TResult its handler returned (serveTasks is typed alike).
        resolve: resolve as (value: unknown) => void,
        reject,
        signal,
        onAbort: undefined,
        settled: false,
        slot: undefined,
        timer: undefined,
      };
      this.queue.push(pending);
      this.drain();
      // drain() leaves the queue empty while any worker has room, so a task still
      // waiting here means all workers are busy.
      if (!pending.slot && this.queue.size > this.opts.queueLimit) {
        this.queue.remove(pending);
        settle(pending, { ok: false, error: new PoolQueueFullError(this.opts.name, this.opts.queueLimit) });
        return;
      }
      if (signal && !pending.settled) {
        pending.onAbort = () => this.abort(pending);
        signal.addEventListener('abort', pending.onAbort, { once: true });
      }
    });
  }

  /** Resolves once every initial worker finished init; rejects if one of them failed. */
  ready(): Promise<void> {
    return this.initialReady.promise;
  }

  stats(): PoolStats {
    const latency = this.latency.summary();
    return {
      size: this.opts.size,
      ...countSlots(this.slots),
      queueDepth: this.queue.size,
      queueLimit: this.opts.queueLimit,
      completed: this.completed,
      failed: this.failed,
      timedOut: this.timedOut,
      restarts: this.restarts,
      latencyMs: { p50: latency.p50 ?? 0, p95: latency.p95 ?? 0, max: latency.max ?? 0 },
    };
  }

  /**
   * Rejects queued tasks with PoolClosedError, waits up to closeTimeoutMs for
   * in-flight ones (rejecting the rest), then terminates the workers. Idempotent.
   */
  close(): Promise<void> {
    this.closePromise ??= this.doClose();
    return this.closePromise;
  }

  private async doClose(): Promise<void> {
    this.closed = true;
    this.backoff.cancel();
    const closedError = new PoolClosedError(this.opts.name);
    for (const pending of this.queue.drainAll()) {
      settle(pending, { ok: false, error: closedError });
    }
    this.initialReady.fail(closedError);
    if (this.unsettledInflight() > 0) {
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, this.opts.closeTimeoutMs);
        this.idleWaiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
    const exits: Array<Promise<unknown>> = [];
    for (const slot of this.slots) {
      slot.exitReason ??= 'close';
      slot.state = 'exiting';
      exits.push(slot.worker.terminate());
    }
    await Promise.allSettled(exits);
    this.log?.debug('worker pool closed');
  }

  private spawn(initial: boolean): void {
    this.slots.add(startWorkerSlot(this.entry, this.opts, initial, this.events));
  }

  private onMessage(slot: WorkerSlot<TTask>, msg: WorkerToMain): void {
    switch (msg.type) {
      case 'ready': {
        clearTimeout(slot.initTimer);
        if (slot.state !== 'starting') {
          return;
        }
        slot.state = 'ready';
        this.broken = undefined;
        this.log?.debug({ threadId: slot.worker.threadId }, 'worker ready');
        if (slot.initial) {
          this.initialReady.countDown();
        }
        this.drain();
        return;
      }
      case 'init-error':
        this.initFailed(slot, deserializeError(msg.error));
        return;
      case 'result':
      case 'error': {
        const pending = slot.inflight.get(msg.id);
        if (!pending) {
          return;
        }
        slot.inflight.delete(msg.id);
        clearTimeout(pending.timer);
        this.backoff.succeeded();
        if (!pending.settled) {
          if (msg.type === 'result') {
            this.completed++;
            this.latency.record(performance.now() - pending.submittedAt);
            settle(pending, { ok: true, value: msg.result });
          } else {
            this.failed++;
            settle(pending, { ok: false, error: deserializeError(msg.error) });
          }
        }
        this.afterTaskLeft();
        return;
      }
    }
  }

  private onExit(slot: WorkerSlot<TTask>, exitCode: number): void {
    this.slots.delete(slot);
    clearTimeout(slot.initTimer);
    const reason = exitDescription(slot, exitCode);
    for (const pending of slot.inflight.values()) {
      clearTimeout(pending.timer);
      if (pending.settled) {
        continue;
      }
      if (this.closed) {
        settle(pending, { ok: false, error: new PoolClosedError(this.opts.name) });
      } else {
        this.failed++;
        settle(pending, { ok: false, error: new WorkerCrashedError(this.opts.name, exitCode, reason, { cause: slot.crashError }) });
      }
    }
    slot.inflight.clear();
    this.afterTaskLeft();
    if (this.closed) {
      return;
    }
    if (slot.state === 'starting' && !slot.initFailed) {
      // Died while loading (a throwing import, process.exit during init ...).
      this.initFailed(slot, slot.crashError ?? new Error(`worker exited with code ${exitCode} during init`));
    }
    if (slot.initFailed) {
      this.respawn(this.backoff.delay());
      return;
    }
    if (slot.exitReason === 'timeout') {
      // A stuck task, not a broken worker: replace at once.
      this.log?.warn({ threadId: slot.worker.threadId }, 'worker terminated after a task timeout; replacing it');
      this.respawn(0);
      return;
    }
    this.log?.error({ err: slot.crashError, exitCode, threadId: slot.worker.threadId }, 'worker crashed; replacing it');
    const delay = this.backoff.consecutiveFailures === 0 ? 0 : this.backoff.delay();
    this.backoff.failed();
    this.respawn(delay);
  }

  private initFailed(slot: WorkerSlot<TTask>, err: Error): void {
    if (slot.initFailed) {
      return;
    }
    slot.initFailed = true;
    clearTimeout(slot.initTimer);
    this.backoff.failed();
    this.log?.error({ err, threadId: slot.worker.threadId }, 'worker init failed');
    if (slot.initial) {
      this.initialReady.fail(new WorkerInitError(this.opts.name, { cause: err }));
    }
    if (![...this.slots].some((s) => s.state === 'ready')) {
      // Nothing can serve: fail fast rather than let callers wait out the backoff.
      this.broken = err;
      for (const pending of this.queue.drainAll()) {
        settle(pending, { ok: false, error: new WorkerInitError(this.opts.name, { cause: err }) });
      }
    }
    if (slot.state !== 'exiting') {
      slot.state = 'exiting';
      slot.exitReason = 'init-failed';
      void slot.worker.terminate();
    }
  }

  private respawn(delayMs: number): void {
    if (delayMs > 0) {
      this.log?.info({ delayMs }, 'respawning worker after backoff');
    }
    this.backoff.schedule(delayMs, () => {
      if (this.closed) {
        return;
      }
      this.restarts++;
      this.spawn(false);
    });
  }

  /** Hands queued tasks to workers with free capacity, least loaded first. */
  private drain(): void {
    while (this.queue.size > 0) {
      let best: WorkerSlot<TTask> | undefined;
      for (const slot of this.slots) {
        if (
          slot.state === 'ready' &&
          slot.inflight.size < this.opts.concurrencyPerWorker &&
          (!best || slot.inflight.size < best.inflight.size)
        ) {
          best = slot;
        }
      }
      if (!best) {
        return;
      }
      const pending = this.queue.shift();
      if (pending) {
        this.dispatch(best, pending);
      }
    }
  }

  private dispatch(slot: WorkerSlot<TTask>, pending: PendingTask<TTask>): void {
    pending.slot = slot;
    slot.inflight.set(pending.id, pending);
    pending.timer = setTimeout(() => this.onTimeout(slot, pending), pending.timeoutMs);
    const msg: MainToWorker = { type: 'task', id: pending.id, task: pending.task };
    try {
      slot.worker.postMessage(msg, pending.transfer);
    } catch (err) {
      // Not cloneable (a function, a class instance with private state ...): the caller's bug.
      slot.inflight.delete(pending.id);
      clearTimeout(pending.timer);
      this.failed++;
      settle(pending, { ok: false, error: err });
    }
  }

  private onTimeout(slot: WorkerSlot<TTask>, pending: PendingTask<TTask>): void {
    if (!pending.settled) {
      this.timedOut++;
      this.failed++;
      settle(pending, { ok: false, error: new TaskTimeoutError(this.opts.name, pending.timeoutMs) });
    }
    // Even when the caller already gave up (abort), the worker is presumed stuck.
    if (slot.state !== 'exiting') {
      slot.state = 'exiting';
      slot.exitReason = 'timeout';
      void slot.worker.terminate();
    }
  }

  private abort(pending: PendingTask<TTask>): void {
    if (pending.settled) {
      return;
    }
    const reason: unknown = pending.signal?.reason;
    if (!pending.slot) {
      this.queue.remove(pending);
    } else if (pending.slot.state !== 'exiting') {
      // The worker keeps its slot busy until it answers (or times out); tell the handler.
      const msg: MainToWorker = { type: 'cancel', id: pending.id };
      pending.slot.worker.postMessage(msg);
    }
    settle(pending, { ok: false, error: new TaskAbortedError(reason) });
  }

  private unsettledInflight(): number {
    let n = 0;
    for (const slot of this.slots) {
      for (const pending of slot.inflight.values()) {
        if (!pending.settled) {
          n++;
        }
      }
    }
    return n;
  }

  private afterTaskLeft(): void {
    if (this.closed) {
      if (this.idleWaiters.length > 0 && this.unsettledInflight() === 0) {
        const waiters = this.idleWaiters;
        this.idleWaiters = [];
        for (const wake of waiters) {
          wake();
        }
      }
      return;
    }
    this.drain();
  }
}
