// Errors the pool itself raises. Each carries a stable `code`. They never reach
// clients as they are: the face engine adapter (src/engine/engine-errors.ts)
// maps them to domain errors (503 EngineBusyError ...).

export type WorkerPoolErrorCode =
  | 'QUEUE_FULL'
  | 'TASK_TIMEOUT'
  | 'WORKER_CRASHED'
  | 'WORKER_INIT_FAILED'
  | 'POOL_CLOSED'
  | 'ABORT_ERR';

export abstract class WorkerPoolError extends Error {
  abstract readonly code: WorkerPoolErrorCode;
}

/** `run` was called while `queueLimit` tasks were already waiting. */
export class PoolQueueFullError extends WorkerPoolError {
  override readonly name = 'PoolQueueFullError';
  readonly code = 'QUEUE_FULL';
  constructor(
    readonly pool: string,
    readonly queueLimit: number,
  ) {
    super(`worker pool "${pool}" queue is full (${queueLimit} tasks waiting)`);
  }
}

/** The task ran longer than its timeout; its worker was terminated and replaced. */
export class TaskTimeoutError extends WorkerPoolError {
  override readonly name = 'TaskTimeoutError';
  readonly code = 'TASK_TIMEOUT';
  constructor(
    readonly pool: string,
    readonly timeoutMs: number,
  ) {
    super(`worker pool "${pool}" task timed out after ${timeoutMs} ms`);
  }
}

/** The worker running the task died (uncaught exception, process.exit, OOM, or terminated after another task's timeout). */
export class WorkerCrashedError extends WorkerPoolError {
  override readonly name = 'WorkerCrashedError';
  readonly code = 'WORKER_CRASHED';
  constructor(
    readonly pool: string,
    readonly exitCode: number | undefined,
    reason: string,
    options?: { cause?: unknown },
  ) {
    super(`worker pool "${pool}" worker crashed: ${reason}`, options);
  }
}

/** A worker's init (model loading ...) failed and no worker is available to serve. */
export class WorkerInitError extends WorkerPoolError {
  override readonly name = 'WorkerInitError';
  readonly code = 'WORKER_INIT_FAILED';
  constructor(readonly pool: string, options?: { cause?: unknown }) {
    const detail = options?.cause instanceof Error ? `: ${options.cause.message}` : '';
    super(`worker pool "${pool}" worker failed to initialise${detail}`, options);
  }
}

/** The pool was closed before the task could finish. */
export class PoolClosedError extends WorkerPoolError {
  override readonly name = 'PoolClosedError';
  readonly code = 'POOL_CLOSED';
  constructor(readonly pool: string) {
    super(`worker pool "${pool}" is closed`);
  }
}

/**
 * The caller's AbortSignal fired. Named `AbortError` with code `ABORT_ERR`, like
 * Node's own (fetch, timers/promises, events.once), so generic abort checks work.
 */
export class TaskAbortedError extends WorkerPoolError {
  override readonly name = 'AbortError';
  readonly code = 'ABORT_ERR';
  constructor(reason?: unknown) {
    super('the task was aborted', reason === undefined ? undefined : { cause: reason });
  }
}

export function isAbortError(err: unknown): boolean {
  return err instanceof Error && (err.name === 'AbortError' || (err as { code?: unknown }).code === 'ABORT_ERR');
}
