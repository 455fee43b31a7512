// When to start a replacement worker: at once after a single crash or a
// timeout, with a doubling delay while workers keep failing (a broken model
// file must not make the pool spin), never after close.

export class RestartBackoff {
  /** Failures since the last task a worker answered. */
  #consecutiveFailures = 0;
  readonly #timers = new Set<NodeJS.Timeout>();

  constructor(private readonly policy: { initialMs: number; maxMs: number }) {}

  get consecutiveFailures(): number {
    return this.#consecutiveFailures;
  }

  /** A worker answered a task: it works, so earlier failures are not consecutive any more. */
  succeeded(): void {
    this.#consecutiveFailures = 0;
  }

  failed(): void {
    this.#consecutiveFailures++;
  }

  /** The delay for the next restart after the failures seen so far. */
  delay(): number {
    const { initialMs, maxMs } = this.policy;
    return Math.min(maxMs, initialMs * 2 ** Math.max(0, this.#consecutiveFailures - 1));
  }

  /** Runs `start` after `delayMs` (at once when 0); cancel() drops what has not run yet. */
  schedule(delayMs: number, start: () => void): void {
    if (delayMs <= 0) {
      start();
      return;
    }
    const timer = setTimeout(() => {
      this.#timers.delete(timer);
      start();
    }, delayMs);
    this.#timers.add(timer);
  }

  cancel(): void {
    for (const timer of this.#timers) {
      clearTimeout(timer);
    }
    this.#timers.clear();
  }
}
