// A micro-batcher: items submitted within a short window (or until maxBatchSize
// is reached) run as ONE call, and each caller gets its own result back. The
// face engine uses it to embed face crops of concurrent requests in one batched
// inference instead of N single ones.

export interface BatcherOptions<TItem, TResult> {
  /** Flush as soon as this many items are waiting. */
  maxBatchSize: number;
  /** Flush at most this long after the first item of a batch arrived (0: at the end of the current tick). */
  maxWaitMs: number;
  /**
   * Runs one batch; must return one result per item, in order. The signal fires
   * when every caller in the batch has aborted.
   */
  run: (items: TItem[], ctx: { signal: AbortSignal }) => Promise<TResult[]>;
}

export class BatchResultMismatchError extends Error {
  override readonly name = 'BatchResultMismatchError';
  readonly code = 'BATCH_RESULT_MISMATCH';
  constructor(expected: number, got: number) {
    super(`batch run returned ${got} results for ${expected} items`);
  }
}

export class BatcherClosedError extends Error {
  override readonly name = 'BatcherClosedError';
  readonly code = 'BATCHER_CLOSED';
  constructor() {
    super('the batcher is closed');
  }
}

export class BatchItemAbortedError extends Error {
  override readonly name = 'AbortError';
  readonly code = 'ABORT_ERR';
  constructor(reason?: unknown) {
    super('the batched item was aborted', reason === undefined ? undefined : { cause: reason });
  }
}

interface Entry<TItem, TResult> {
  item: TItem;
  resolve: (value: TResult) => void;
  reject: (err: unknown) => void;
  settled: boolean;
  signal: AbortSignal | undefined;
  onAbort: (() => void) | undefined;
  /** Set once the entry's batch started running. */
  batch: { controller: AbortController; live: number } | undefined;
}

export class MicroBatcher<TItem, TResult> {
  private waiting: Array<Entry<TItem, TResult>> = [];
  private timer: { kind: 'timeout'; handle: NodeJS.Timeout } | { kind: 'immediate'; handle: NodeJS.Immediate } | undefined;
  private readonly running = new Set<Promise<void>>();
  private closed = false;
  private batches = 0;
  private items = 0;

  constructor(private readonly opts: BatcherOptions<TItem, TResult>) {
    if (!Number.isInteger(opts.maxBatchSize) || opts.maxBatchSize < 1) {
      throw new RangeError(`maxBatchSize must be a positive integer, got ${opts.maxBatchSize}`);
    }
    if (!(opts.maxWaitMs >= 0)) {
      throw new RangeError(`maxWaitMs must be >= 0, got ${opts.maxWaitMs}`);
    }
  }

  submit(item: TItem, options: { signal?: AbortSignal } = {}): Promise<TResult> {
    if (this.closed) {
      return Promise.reject(new BatcherClosedError());
    }
    const { signal } = options;
    if (signal?.aborted) {
      return Promise.reject(new BatchItemAbortedError(signal.reason));
    }
    return new Promise<TResult>((resolve, reject) => {
      const entry: Entry<TItem, TResult> = {
        item,
        resolve,
        reject,
        settled: false,
        signal,
        onAbort: undefined,
        batch: undefined,
      };
      if (signal) {
        entry.onAbort = () => this.abort(entry);
        signal.addEventListener('abort', entry.onAbort, { once: true });
      }
      this.waiting.push(entry);
      if (this.waiting.length >= this.opts.maxBatchSize) {
        this.flush();
      } else if (this.timer === undefined) {
        this.timer =
          this.opts.maxWaitMs === 0
            ? { kind: 'immediate', handle: setImmediate(() => this.flush()) }
            : { kind: 'timeout', handle: setTimeout(() => this.flush(), this.opts.maxWaitMs) };
      }
    });
  }

  /** Items waiting for their batch to start. */
  get pending(): number {
    return this.waiting.length;
  }

  stats(): { batches: number; items: number; pending: number; running: number } {
    return { batches: this.batches, items: this.items, pending: this.waiting.length, running: this.running.size };
  }

  /** Starts the waiting items now (in chunks of maxBatchSize). */
  flush(): void {
    this.clearTimer();
    while (this.waiting.length > 0) {
      const entries = this.waiting.splice(0, this.opts.maxBatchSize);
      const done = this.runBatch(entries);
      this.running.add(done);
      void done.finally(() => this.running.delete(done));
    }
  }

  /** Runs what is waiting, waits for running batches; later submits reject. */
  async close(): Promise<void> {
    this.closed = true;
    this.flush();
    await Promise.allSettled([...this.running]);
  }

  private async runBatch(entries: Array<Entry<TItem, TResult>>): Promise<void> {
    const batch = { controller: new AbortController(), live: entries.length };
    for (const entry of entries) {
      entry.batch = batch;
    }
    this.batches++;
    this.items += entries.length;
    try {
      const results = await this.opts.run(
        entries.map((e) => e.item),
        { signal: batch.controller.signal },
      );
      if (!Array.isArray(results) || results.length !== entries.length) {
        throw new BatchResultMismatchError(entries.length, Array.isArray(results) ? results.length : -1);
      }
      entries.forEach((entry, i) => this.settle(entry, { ok: true, value: results[i] as TResult }));
    } catch (err) {
      for (const entry of entries) {
        this.settle(entry, { ok: false, error: err });
      }
    }
  }

  private abort(entry: Entry<TItem, TResult>): void {
    if (entry.settled) {
      return;
    }
    if (entry.batch) {
      // Already running: reject now, drop its result later; cancel the batch if nobody is left.
      if (--entry.batch.live === 0) {
        entry.batch.controller.abort(entry.signal?.reason);
      }
    } else {
      const index = this.waiting.indexOf(entry);
      if (index >= 0) {
        this.waiting.splice(index, 1);
      }
      if (this.waiting.length === 0) {
        this.clearTimer();
      }
    }
    this.settle(entry, { ok: false, error: new BatchItemAbortedError(entry.signal?.reason) });
  }

  private settle(entry: Entry<TItem, TResult>, outcome: { ok: true; value: TResult } | { ok: false; error: unknown }): void {
    if (entry.settled) {
      return;
    }
    entry.settled = true;
    if (entry.signal && entry.onAbort) {
      entry.signal.removeEventListener('abort', entry.onAbort);
    }
    if (outcome.ok) {
      entry.resolve(outcome.value);
    } else {
      entry.reject(outcome.error);
    }
  }

  private clearTimer(): void {
    if (this.timer?.kind === 'timeout') {
      clearTimeout(this.timer.handle);
    } else if (this.timer?.kind === 'immediate') {
      clearImmediate(this.timer.handle);
    }
    this.timer = undefined;
  }
}
