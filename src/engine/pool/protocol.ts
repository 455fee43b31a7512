// The protocol between WorkerPool (main thread, worker-pool.ts) and serveTasks
// (worker thread, serve-tasks.ts).
// Both sides import these types so a change breaks the build, not production.

/** An error flattened for postMessage: structured clone drops custom classes and props. */
export interface SerializedError {
  name: string;
  message: string;
  stack?: string;
  code?: unknown;
  /** Own enumerable properties that survived structured clone (e.g. `status`, `details`). */
  props: Record<string, unknown>;
  cause?: SerializedError;
}

export type MainToWorker =
  | { type: 'task'; id: number; task: unknown }
  /** The caller aborted the task; the handler's AbortSignal fires. The worker still answers. */
  | { type: 'cancel'; id: number };

export type WorkerToMain =
  | { type: 'ready' }
  | { type: 'init-error'; error: SerializedError }
  | { type: 'result'; id: number; result: unknown }
  | { type: 'error'; id: number; error: SerializedError };
