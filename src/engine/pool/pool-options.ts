// What a WorkerPool is configured with, what one run() may override, and the
// figures it reports.
import type { ResourceLimits, Transferable } from 'node:worker_threads';
import type { Logger } from 'pino';

export interface PoolOptions {
  /** Worker entry file (`new URL('./worker-entry.ts', import.meta.url)`); .ts files run through tsx. */
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

/** PoolOptions with every default filled in. */
export type ResolvedPoolOptions = PoolOptions &
  Required<Pick<PoolOptions, 'concurrencyPerWorker' | 'initTimeoutMs' | 'closeTimeoutMs' | 'restartBackoff'>>;

export function resolvePoolOptions(opts: PoolOptions): ResolvedPoolOptions {
  if (!Number.isInteger(opts.size) || opts.size < 1) {
    throw new RangeError(`pool size must be a positive integer, got ${opts.size}`);
  }
  if (!Number.isInteger(opts.queueLimit) || opts.queueLimit < 0) {
    throw new RangeError(`queueLimit must be a non-negative integer, got ${opts.queueLimit}`);
  }
  if (!(opts.taskTimeoutMs > 0)) {
    throw new RangeError(`taskTimeoutMs must be positive, got ${opts.taskTimeoutMs}`);
  }
  return {
    ...opts,
    concurrencyPerWorker: opts.concurrencyPerWorker ?? 1,
    initTimeoutMs: opts.initTimeoutMs ?? 120_000,
    closeTimeoutMs: opts.closeTimeoutMs ?? opts.taskTimeoutMs,
    restartBackoff: opts.restartBackoff ?? { initialMs: 100, maxMs: 30_000 },
  };
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
  /** run() to result, completed tasks only, over the last `latencyWindow` tasks; 0 before the first. */
  latencyMs: { p50: number; p95: number; max: number };
}
