// Rolling figures for cameraInfo: frames per second over a short window and
// latency percentiles over the last samples.

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

export interface LatencySummary {
  last: number | null;
  p50: number | null;
  p95: number | null;
  max: number | null;
}

export class LatencyWindow {
  readonly #samples: number[] = [];

  constructor(private readonly size = 200) {}

  add(ms: number): void {
    this.#samples.push(ms);
    if (this.#samples.length > this.size) {
      this.#samples.shift();
    }
  }

  summary(): LatencySummary {
    const n = this.#samples.length;
    if (n === 0) {
      return { last: null, p50: null, p95: null, max: null };
    }
    const sorted = [...this.#samples].sort((a, b) => a - b);
    const at = (q: number): number => sorted[Math.min(n - 1, Math.floor(q * n))]!;
    return { last: this.#samples[n - 1]!, p50: at(0.5), p95: at(0.95), max: sorted[n - 1]! };
  }
}
