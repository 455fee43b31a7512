// Latency percentiles over the last N samples, for the worker pool's task
// latency and each camera's capture-to-result latency. A fixed ring buffer
// sorted on read: writes are per task or frame, reads are rare (stats
// endpoints), so O(1) writes and an O(N log N) read of ~1000 numbers is the
// right trade.
//
// Percentile rule: nearest rank. The p-th percentile of n samples is the
// sample at rank ceil(p/100 * n) in ascending order (1-based), so it is always
// a latency that really happened and at least p% of the samples are at or
// below it. For 1..100 ms: p50 = 50, p95 = 95, max = 100.

export interface LatencySummary {
  /** The most recent sample; null while empty (as every other field). */
  last: number | null;
  p50: number | null;
  p95: number | null;
  max: number | null;
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

  /** Samples held (at most `capacity`). */
  get size(): number {
    return this.count;
  }

  summary(): LatencySummary {
    if (this.count === 0) {
      return { last: null, p50: null, p95: null, max: null };
    }
    // Float64Array sorts numerically (a plain array would sort as strings).
    const sorted = this.samples.slice(0, this.count).sort();
    const rank = (p: number): number => sorted[Math.max(0, Math.ceil((p / 100) * this.count) - 1)]!;
    const last = this.samples[(this.next - 1 + this.capacity) % this.capacity]!;
    return { last, p50: rank(50), p95: rank(95), max: sorted[this.count - 1]! };
  }
}
