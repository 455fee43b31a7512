// Latency percentiles over the last N samples: a fixed ring buffer, sorted on
// read. Reads are rare (stats endpoints), writes are per task, so O(1) writes
// and an O(N log N) read of ~1000 numbers is the right trade.

export interface LatencySummary {
  p50: number;
  p95: number;
  max: number;
}

export class LatencyWindow {
  private readonly samples: Float64Array;
  private next = 0;
  private count = 0;

  constructor(readonly capacity = 1000) {
    if (!Number.isInteger(capacity) || capacity < 1) {
      throw new RangeError(`capacity must be a positive integer, got ${capacity}`);
    }
    this.samples = new Float64Array(capacity);
  }

  record(ms: number): void {
    this.samples[this.next] = ms;
    this.next = (this.next + 1) % this.capacity;
    this.count = Math.min(this.count + 1, this.capacity);
  }

  get size(): number {
    return this.count;
  }

  /** Nearest-rank percentiles; all zero when empty. */
  summary(): LatencySummary {
    if (this.count === 0) {
      return { p50: 0, p95: 0, max: 0 };
    }
    const sorted = this.samples.slice(0, this.count).sort();
    const rank = (p: number): number => sorted[Math.min(this.count - 1, Math.ceil((p / 100) * this.count) - 1)] ?? 0;
    return { p50: rank(50), p95: rank(95), max: sorted[this.count - 1] ?? 0 };
  }
}
