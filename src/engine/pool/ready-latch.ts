// Settles once: resolves after `count` countDown() calls, or rejects on the
// first fail(); later calls are ignored. The pool's ready() is one.

export class ReadyLatch {
  readonly promise: Promise<void>;
  #remaining: number;
  #settled = false;
  #resolve: () => void = () => undefined;
  #reject: (err: Error) => void = () => undefined;

  constructor(count: number) {
    this.#remaining = count;
    this.promise = new Promise<void>((resolve, reject) => {
      this.#resolve = resolve;
      this.#reject = reject;
    });
    // Waiting is optional for callers: never let the rejection go unhandled.
    this.promise.catch(() => undefined);
  }

  countDown(): void {
    if (!this.#settled && --this.#remaining <= 0) {
      this.#settled = true;
      this.#resolve();
    }
  }

  fail(err: Error): void {
    if (!this.#settled) {
      this.#settled = true;
      this.#reject(err);
    }
  }
}
