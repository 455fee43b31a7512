// A generic worker-thread pool (main side), in the spirit of piscina and
// graphql-hive's worker scheduler: bounded queue, per-task timeout, AbortSignal,
// crashed/stuck workers replaced with backoff, errors re-created with their
// `name` and `code`, latency stats. The worker side is `serveTasks` in
// worker-host.ts; the protocol is in messages.ts.
import { Worker } from 'node:worker_threads';
import type { ResourceLimits, Transferable } from 'node:worker_threads';
import type { Logger } from 'pino';
import {
  PoolClosedError,
  PoolQueueFullError,
  TaskAbortedError,
  TaskTimeoutError,
  WorkerCrashedError,
  WorkerInitError,
} from './errors.js';
import { LatencyWindow } from './latency-window.js';
import type { LatencySummary } from './latency-window.js';
import type { MainToWorker, WorkerToMain } from './messages.js';
import { deserializeError } from './serialize-error.js';
import { workerEntry } from './worker-entry.js';

export interface PoolOptions {
  /** Worker entry file (`new URL('./face-worker.ts', import.meta.url)`); .ts files run through tsx. */
  workerFile: URL;
  size: number;
  /** Tasks allowed to wait for a worker; `run` rejects with PoolQueueFullError beyond that. */
  queueLimit: number;
  /** Per task, counted from dispatch to a worker (not queue time). */
  taskTimeoutMs: number;
  workerData?: unknown;
  name: string;
  logger?: Logger;
  resourceLimits?: ResourceLimits;
  execArgv?: string[];
  /** Tasks one worker runs at once; 1 by default (ONNX sessions are not re-entrant). */
  concurrencyPerWorker?: number;
  /** A worker that has not finished init by then is treated as failed. Default 120 s. */
  initTimeoutMs?: number;
  /** How long close() waits for in-flight tasks. Default: taskTimeoutMs. */
  closeTimeoutMs?: number;
  /** Delay before respawning after repeated failures: doubles from initialMs up to maxMs. */
  restartBackoff?: { initialMs: number; maxMs: number };
  /** Samples kept for latency percentiles. Default 1000. */
  latencyWindow?: number;
  /**
   * Idle workers do not keep the process alive (a process-wide helper pool nobody closes); a task
   * in flight still does, through its timeout timer.
   */
  unref?: boolean;
}

export interface RunOptions {
  signal?: AbortSignal;
  /** Moved, not copied, to the worker (the caller's views become detached). */
  transfer?: Transferable[];
  /** Overrides taskTimeoutMs for this task. */
  timeoutMs?: number;
}

export interface PoolStats {
  /** Configured number of workers. */
  size: number;
  /** Live workers running at least one task. */
  busy: number;
  /** Live workers with nothing to do. */
  idle: number;
  /** Workers starting up (init, or after a crash). */
  starting: number;
  queueDepth: number;
  queueLimit: number;
  completed: number;
  /** Tasks rejected by the handler, a crash or a timeout (not aborts, queue-full or close). */
  failed: number;
  timedOut: number;
  /** Replacement workers spawned. */
  restarts: number;
  /** run() to result, completed tasks only, over the last `latencyWindow` tasks. */
  latencyMs: LatencySummary;
}

interface PendingTask {
  readonly id: number;
  readonly task: unknown;
  readonly transfer: Transferable[] | undefined;
  readonly timeoutMs: number;
  readonly submittedAt: number;
  readonly resolve: (value: unknown) => void;
  readonly reject: (err: unknown) => void;
  signal: AbortSignal | undefined;
  onAbort: (() => void) | undefined;
  settled: boolean;
  slot: WorkerSlot | undefined;
  timer: NodeJS.Timeout | undefined;
}

type ExitReason = 'timeout' | 'init-failed' | 'close' | undefined;

interface WorkerSlot {
  readonly worker: Worker;
  readonly initial: boolean;
  state: 'starting' | 'ready' | 'exiting';
  readonly inflight: Map<number, PendingTask>;
  initTimer: NodeJS.Timeout | undefined;
  initFailed: boolean;
  /** From the worker's 'error' event (uncaught exception, OOM), reported at exit. */
  crashError: Error | undefined;
  exitReason: ExitReason;
}

const noop = (): void => {};

export class WorkerPool<TTask, TResult> {
  private readonly opts: Required<
    Pick<PoolOptions, 'concurrencyPerWorker' | 'initTimeoutMs' | 'closeTimeoutMs' | 'restartBackoff'>
  > &
    PoolOptions;
  private readonly log: Logger | undefined;
  private readonly entry: URL;
  private readonly slots = new Set<WorkerSlot>();
  private readonly queue: PendingTask[] = [];
  private readonly latency: LatencyWindow;
  private readonly respawnTimers = new Set<NodeJS.Timeout>();
  private nextId = 1;
  private completed = 0;
  private failed = 0;
  private timedOut = 0;
  private restarts = 0;
  /** Failures since the last task a worker answered; drives the respawn backoff. */
  private consecutiveFailures = 0;
  /** Set when init failed and no worker is live: run() fails fast instead of queueing forever. */
  private broken: Error | undefined;
  private closed = false;
  private closePromise: Promise<void> | undefined;
  private idleWaiters: Array<() => void> = [];

  private initialReady = 0;
  private readySettled = false;
  private readonly readyPromise: Promise<void>;
  private resolveReady: () => void = noop;
  private rejectReady: (err: Error) => void = noop;

  constructor(opts: PoolOptions) {
    if (!Number.isInteger(opts.size) || opts.size < 1) {
      throw new RangeError(`pool size must be a positive integer, got ${opts.size}`);
    }
    if (!Number.isInteger(opts.queueLimit) || opts.queueLimit < 0) {
      throw new RangeError(`queueLimit must be a non-negative integer, got ${opts.queueLimit}`);
    }
    if (!(opts.taskTimeoutMs > 0)) {
      throw new RangeError(`taskTimeoutMs must be positive, got ${opts.taskTimeoutMs}`);
    }
    this.opts = {
      ...opts,
      concurrencyPerWorker: opts.concurrencyPerWorker ?? 1,
      initTimeoutMs: opts.initTimeoutMs ?? 120_000,
      closeTimeoutMs: opts.closeTimeoutMs ?? opts.taskTimeoutMs,
      restartBackoff: opts.restartBackoff ?? { initialMs: 100, maxMs: 30_000 },
    };
    this.log = opts.logger?.child({ component: 'worker-pool', pool: opts.name });
    this.entry = workerEntry(opts.workerFile);
    this.latency = new LatencyWindow(opts.latencyWindow ?? 1000);
    this.readyPromise = new Promise<void>((resolve, reject) => {
      this.resolveReady = resolve;
      this.rejectReady = reject;
    });
    // ready() is optional for callers: never let its rejection go unhandled.
    this.readyPromise.catch(noop);
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
      const pending: PendingTask = {
        id: this.nextId++,
        task,
        transfer: options.transfer,
        timeoutMs: options.timeoutMs ?? this.opts.taskTimeoutMs,
        submittedAt: performance.now(),
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
      if (!pending.slot && this.queue.length > this.opts.queueLimit) {
        this.queue.splice(this.queue.indexOf(pending), 1);
        pending.settled = true;
        reject(new PoolQueueFullError(this.opts.name, this.opts.queueLimit));
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
    return this.readyPromise;
  }

  stats(): PoolStats {
    let busy = 0;
    let idle = 0;
    let starting = 0;
    for (const slot of this.slots) {
      if (slot.state === 'starting') {
        starting++;
      } else if (slot.state === 'ready') {
        if (slot.inflight.size > 0) {
          busy++;
        } else {
          idle++;
        }
      }
    }
    return {
      size: this.opts.size,
      busy,
      idle,
      starting,
      queueDepth: this.queue.length,
      queueLimit: this.opts.queueLimit,
      completed: this.completed,
      failed: this.failed,
      timedOut: this.timedOut,
      restarts: this.restarts,
      latencyMs: this.latency.summary(),
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
    for (const timer of this.respawnTimers) {
      clearTimeout(timer);
    }
    this.respawnTimers.clear();
    const closedError = new PoolClosedError(this.opts.name);
    for (const pending of this.queue.splice(0)) {
      this.settle(pending, { ok: false, error: closedError });
    }
    if (!this.readySettled) {
      this.readySettled = true;
      this.rejectReady(closedError);
    }
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
    const worker = new Worker(this.entry, {
      workerData: this.opts.workerData,
      ...(this.opts.resourceLimits ? { resourceLimits: this.opts.resourceLimits } : {}),
      ...(this.opts.execArgv ? { execArgv: this.opts.execArgv } : {}),
    });
    if (this.opts.unref) {
      worker.unref();
    }
    const slot: WorkerSlot = {
      worker,
      initial,
      state: 'starting',
      inflight: new Map(),
      initTimer: undefined,
      initFailed: false,
      crashError: undefined,
      exitReason: undefined,
    };
    this.slots.add(slot);
    slot.initTimer = setTimeout(() => {
      this.initFailed(slot, new Error(`worker did not finish init within ${this.opts.initTimeoutMs} ms`));
    }, this.opts.initTimeoutMs);
    worker.on('message', (msg: WorkerToMain) => this.onMessage(slot, msg));
    worker.on('error', (err) => {
      slot.crashError = err;
    });
    worker.on('messageerror', (err) => {
      this.log?.error({ err, threadId: worker.threadId }, 'worker message could not be deserialized');
    });
    worker.on('exit', (code) => this.onExit(slot, code));
  }

  private onMessage(slot: WorkerSlot, msg: WorkerToMain): void {
    switch (msg.type) {
      case 'ready': {
        clearTimeout(slot.initTimer);
        if (slot.state !== 'starting') {
          return;
        }
        slot.state = 'ready';
        this.broken = undefined;
        this.log?.debug({ threadId: slot.worker.threadId }, 'worker ready');
        if (slot.initial && ++this.initialReady === this.opts.size && !this.readySettled) {
          this.readySettled = true;
          this.resolveReady();
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
        // The worker answered, so it works: restart failures are not consecutive any more.
        this.consecutiveFailures = 0;
        if (!pending.settled) {
          if (msg.type === 'result') {
            this.completed++;
            this.latency.record(performance.now() - pending.submittedAt);
            this.settle(pending, { ok: true, value: msg.result });
          } else {
            this.failed++;
            this.settle(pending, { ok: false, error: deserializeError(msg.error) });
          }
        }
        this.afterTaskLeft();
        return;
      }
    }
  }

  private onExit(slot: WorkerSlot, exitCode: number): void {
    this.slots.delete(slot);
    clearTimeout(slot.initTimer);
    const reason =
      slot.exitReason === 'timeout'
        ? 'terminated because a task on it timed out'
        : slot.exitReason === 'close'
          ? 'pool closed'
          : slot.crashError
            ? `${slot.crashError.name}: ${slot.crashError.message}`
            : `exited with code ${exitCode}`;
    for (const pending of slot.inflight.values()) {
      clearTimeout(pending.timer);
      if (pending.settled) {
        continue;
      }
      if (this.closed) {
        this.settle(pending, { ok: false, error: new PoolClosedError(this.opts.name) });
      } else {
        this.failed++;
        this.settle(pending, { ok: false, error: new WorkerCrashedError(this.opts.name, exitCode, reason, { cause: slot.crashError }) });
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
      this.respawn(this.backoffDelay());
      return;
    }
    if (slot.exitReason === 'timeout') {
      // A stuck task, not a broken worker: replace at once.
      this.log?.warn({ threadId: slot.worker.threadId }, 'worker terminated after a task timeout; replacing it');
      this.respawn(0);
      return;
    }
    this.log?.error(
      { err: slot.crashError, exitCode, threadId: slot.worker.threadId },
      'worker crashed; replacing it',
    );
    const delay = this.consecutiveFailures === 0 ? 0 : this.backoffDelay();
    this.consecutiveFailures++;
    this.respawn(delay);
  }

  private initFailed(slot: WorkerSlot, err: Error): void {
    if (slot.initFailed) {
      return;
    }
    slot.initFailed = true;
    clearTimeout(slot.initTimer);
    this.consecutiveFailures++;
    this.log?.error({ err, threadId: slot.worker.threadId }, 'worker init failed');
    if (slot.initial && !this.readySettled) {
      this.readySettled = true;
      this.rejectReady(new WorkerInitError(this.opts.name, { cause: err }));
    }
    if (![...this.slots].some((s) => s.state === 'ready')) {
      // Nothing can serve: fail fast rather than let callers wait out the backoff.
      this.broken = err;
      for (const pending of this.queue.splice(0)) {
        this.settle(pending, { ok: false, error: new WorkerInitError(this.opts.name, { cause: err }) });
      }
    }
    if (slot.state !== 'exiting') {
      slot.state = 'exiting';
      slot.exitReason = 'init-failed';
      void slot.worker.terminate();
    }
  }

  private backoffDelay(): number {
    const { initialMs, maxMs } = this.opts.restartBackoff;
    return Math.min(maxMs, initialMs * 2 ** Math.max(0, this.consecutiveFailures - 1));
  }

  private respawn(delayMs: number): void {
    const start = (): void => {
      if (this.closed) {
        return;
      }
      this.restarts++;
      this.spawn(false);
    };
    if (delayMs <= 0) {
      start();
      return;
    }
    this.log?.info({ delayMs }, 'respawning worker after backoff');
    const timer = setTimeout(() => {
      this.respawnTimers.delete(timer);
      start();
    }, delayMs);
    this.respawnTimers.add(timer);
  }

  /** Hands queued tasks to workers with free capacity, least loaded first. */
  private drain(): void {
    while (this.queue.length > 0) {
      let best: WorkerSlot | undefined;
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

  private dispatch(slot: WorkerSlot, pending: PendingTask): void {
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
      this.settle(pending, { ok: false, error: err });
    }
  }

  private onTimeout(slot: WorkerSlot, pending: PendingTask): void {
    if (!pending.settled) {
      this.timedOut++;
      this.failed++;
      this.settle(pending, { ok: false, error: new TaskTimeoutError(this.opts.name, pending.timeoutMs) });
    }
    // Even when the caller already gave up (abort), the worker is presumed stuck.
    if (slot.state !== 'exiting') {
      slot.state = 'exiting';
      slot.exitReason = 'timeout';
      void slot.worker.terminate();
    }
  }

  private abort(pending: PendingTask): void {
    if (pending.settled) {
      return;
    }
    const reason: unknown = pending.signal?.reason;
    if (!pending.slot) {
      const index = this.queue.indexOf(pending);
      if (index >= 0) {
        this.queue.splice(index, 1);
      }
    } else if (pending.slot.state !== 'exiting') {
      // The worker keeps its slot busy until it answers (or times out); tell the handler.
      const msg: MainToWorker = { type: 'cancel', id: pending.id };
      pending.slot.worker.postMessage(msg);
    }
    this.settle(pending, { ok: false, error: new TaskAbortedError(reason) });
  }

  private settle(pending: PendingTask, outcome: { ok: true; value: unknown } | { ok: false; error: unknown }): void {
    if (pending.settled) {
      return;
    }
    pending.settled = true;
    if (pending.signal && pending.onAbort) {
      pending.signal.removeEventListener('abort', pending.onAbort);
    }
    pending.signal = undefined;
    pending.onAbort = undefined;
    if (outcome.ok) {
      pending.resolve(outcome.value);
    } else {
      pending.reject(outcome.error);
    }
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
