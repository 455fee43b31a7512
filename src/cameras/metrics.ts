// Rolling frames per second for cameraInfo, over a short window. (Latency
// percentiles: src/math/latency-window.ts, shared with the worker pool.)

export class RateMeter {
  readonly #stamps: number[] = [];

  constructor(private readonly windowMs = 2000) {}

  tick(at: number): void {
    this.#stamps.push(at);
    this.#prune(at);
  }

  /** Events per second over the window ending at `at`. */
  rate(at: number): number {
    this.#prune(at);
    const first = this.#stamps[0];
    if (first === undefined || this.#stamps.length < 2) {
      return 0;
    }
    // Over the span actually covered, so a just-started camera is not under-reported.
    const span = Math.max(at - first, 1);
    return ((this.#stamps.length - 1) * 1000) / Math.min(span, this.windowMs);
  }

  #prune(at: number): void {
    while (this.#stamps.length > 0 && this.#stamps[0]! < at - this.windowMs) {
      this.#stamps.shift();
    }
  }
}
