// One worker thread of the pool and the tasks in flight on it: how a worker is
// started and wired to the pool, and how a task is settled exactly once.
import { Worker } from 'node:worker_threads';
import type { Transferable } from 'node:worker_threads';
import type { ResolvedPoolOptions } from './pool-options.js';
import type { WorkerToMain } from './protocol.js';

export type Outcome = { ok: true; value: unknown } | { ok: false; error: unknown };

export interface PendingTask<TTask> {
  readonly id: number;
  readonly task: TTask;
  readonly transfer: Transferable[] | undefined;
  readonly timeoutMs: number;
  readonly submittedAt: number;
  /** The worker's answer as it arrived (the pool's run() gives it its TResult type). */
  readonly resolve: (value: unknown) => void;
  readonly reject: (err: unknown) => void;
  signal: AbortSignal | undefined;
  onAbort: (() => void) | undefined;
  settled: boolean;
  /** The worker running it; undefined while it waits in the queue. */
  slot: WorkerSlot<TTask> | undefined;
  timer: NodeJS.Timeout | undefined;
}

/** Why the pool ended a worker itself; undefined when it died on its own (a crash). */
export type ExitReason = 'timeout' | 'init-failed' | 'close' | undefined;

export interface WorkerSlot<TTask> {
  readonly worker: Worker;
  /** One of the workers started with the pool (ready() waits for those). */
  readonly initial: boolean;
  state: 'starting' | 'ready' | 'exiting';
  readonly inflight: Map<number, PendingTask<TTask>>;
  initTimer: NodeJS.Timeout | undefined;
  initFailed: boolean;
  /** From the worker's 'error' event (uncaught exception, OOM), reported at exit. */
  crashError: Error | undefined;
  exitReason: ExitReason;
}

export interface SlotEvents<TTask> {
  message(slot: WorkerSlot<TTask>, msg: WorkerToMain): void;
  exit(slot: WorkerSlot<TTask>, exitCode: number): void;
  initTimeout(slot: WorkerSlot<TTask>): void;
  /** A message from the worker could not be deserialized (its task then times out). */
  messageError(slot: WorkerSlot<TTask>, err: Error): void;
}

/** Starts a worker thread on `entry` and reports what it does to `events`. */
export function startWorkerSlot<TTask>(
  entry: URL,
  opts: ResolvedPoolOptions,
  initial: boolean,
  events: SlotEvents<TTask>,
): WorkerSlot<TTask> {
  const worker = new Worker(entry, {
    workerData: opts.workerData,
    ...(opts.resourceLimits ? { resourceLimits: opts.resourceLimits } : {}),
    ...(opts.execArgv ? { execArgv: opts.execArgv } : {}),
  });
  const slot: WorkerSlot<TTask> = {
    worker,
    initial,
    state: 'starting',
    inflight: new Map(),
    initTimer: undefined,
    initFailed: false,
    crashError: undefined,
    exitReason: undefined,
  };
  slot.initTimer = setTimeout(() => events.initTimeout(slot), opts.initTimeoutMs);
  worker.on('message', (msg: WorkerToMain) => events.message(slot, msg));
  worker.on('error', (err) => {
    slot.crashError = err;
  });
  worker.on('messageerror', (err) => events.messageError(slot, err));
  worker.on('exit', (code) => events.exit(slot, code));
  if (opts.unref) {
    // After the listeners: attaching a 'message' listener refs the worker's port again.
    worker.unref();
  }
  return slot;
}

/** Workers by what they are doing, for the pool's stats. */
export function countSlots<TTask>(slots: Iterable<WorkerSlot<TTask>>): { busy: number; idle: number; starting: number } {
  const counts = { busy: 0, idle: 0, starting: 0 };
  for (const slot of slots) {
    if (slot.state === 'starting') {
      counts.starting++;
    } else if (slot.state === 'ready') {
      counts[slot.inflight.size > 0 ? 'busy' : 'idle']++;
    }
  }
  return counts;
}

/** Why a worker went away, for the WorkerCrashedError of the tasks it held. */
export function exitDescription<TTask>(slot: WorkerSlot<TTask>, exitCode: number): string {
  switch (slot.exitReason) {
    case 'timeout':
      return 'terminated because a task on it timed out';
    case 'close':
      return 'pool closed';
    case 'init-failed':
    case undefined:
      return slot.crashError ? `${slot.crashError.name}: ${slot.crashError.message}` : `exited with code ${exitCode}`;
  }
}

/** Settles a task once: later outcomes (a result after a timeout, an abort after a result) are dropped. */
export function settle<TTask>(pending: PendingTask<TTask>, outcome: Outcome): void {
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
