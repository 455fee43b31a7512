// Worker side of WorkerPool (worker-pool.ts): a worker entry file is just
//   serveTasks(async (task) => ..., async () => { /* load models */ });
import { parentPort } from 'node:worker_threads';
import type { Transferable } from 'node:worker_threads';
import type { MainToWorker, WorkerToMain } from './protocol.js';
import { serializeError } from './serialize-error.js';

/** A handler result plus the buffers to move (not copy) back to the main thread. */
export class TransferResult<T> {
  constructor(
    readonly result: T,
    readonly transfer: readonly Transferable[],
  ) {}
}

/** Return `withTransfer(embeddings, [embeddings.buffer])` so big typed arrays are transferred. */
export function withTransfer<T>(result: T, transfer: readonly Transferable[]): TransferResult<T> {
  return new TransferResult(result, transfer);
}

export interface TaskContext {
  /** Fires when the caller aborted the task (its result would be dropped anyway). */
  signal: AbortSignal;
  id: number;
}

export type TaskHandler<TTask, TResult> = (
  task: TTask,
  ctx: TaskContext,
) => Promise<TResult | TransferResult<TResult>> | TResult | TransferResult<TResult>;

let serving = false;

export function serveTasks<TTask, TResult>(
  handler: TaskHandler<TTask, TResult>,
  init?: () => Promise<void> | void,
): void {
  const port = parentPort;
  if (!port) {
    throw new Error('serveTasks() must be called inside a worker thread started by WorkerPool');
  }
  if (serving) {
    throw new Error('serveTasks() was called twice in one worker');
  }
  serving = true;
  const post = (msg: WorkerToMain, transfer?: readonly Transferable[]): void => port.postMessage(msg, transfer);
  const running = new Map<number, AbortController>();

  const runTask = async (id: number, task: TTask): Promise<void> => {
    const controller = new AbortController();
    running.set(id, controller);
    try {
      const out = await handler(task, { signal: controller.signal, id });
      if (out instanceof TransferResult) {
        post({ type: 'result', id, result: out.result }, out.transfer);
      } else {
        post({ type: 'result', id, result: out });
      }
    } catch (err) {
      // Also reached when the result is not cloneable (DataCloneError from postMessage).
      post({ type: 'error', id, error: serializeError(err) });
    } finally {
      running.delete(id);
    }
  };

  const start = async (): Promise<void> => {
    try {
      await init?.();
    } catch (err) {
      post({ type: 'init-error', error: serializeError(err) });
      return;
    }
    port.on('message', (msg: MainToWorker) => {
      switch (msg.type) {
        case 'task':
          void runTask(msg.id, msg.task as TTask);
          break;
        case 'cancel':
          running.get(msg.id)?.abort();
          break;
      }
    });
    post({ type: 'ready' });
  };
  void start();
}
