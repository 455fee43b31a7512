// The one LatencyWindow (worker pool and cameras): nearest-rank percentiles over the last N samples.
import { describe, expect, test } from 'vitest';
import { LatencyWindow } from '../../src/math/latency-window.js';

describe('LatencyWindow', () => {
  test('empty: every figure null', () => {
    expect(new LatencyWindow(10).summary()).toEqual({ last: null, p50: null, p95: null, max: null });
  });

  test('nearest rank: 1..100 gives p50 50, p95 95, whatever the order they came in', () => {
    const w = new LatencyWindow(100);
    const values = Array.from({ length: 100 }, (_, i) => ((i * 37) % 100) + 1);
    values.forEach((v) => w.record(v));
    expect(w.summary()).toEqual({ last: values[99], p50: 50, p95: 95, max: 100 });
  });

  test('small windows pick a real sample: one sample is every percentile, two give the lower as p50', () => {
    const w = new LatencyWindow(10);
    w.record(7);
    expect(w.summary()).toEqual({ last: 7, p50: 7, p95: 7, max: 7 });
    w.record(3);
    expect(w.summary()).toEqual({ last: 3, p50: 3, p95: 7, max: 7 });
  });

  test('only the last N samples count', () => {
    const w = new LatencyWindow(100);
    for (let i = 1; i <= 100; i++) {
      w.record(i);
    }
    // 100 more samples of 1000 push every earlier sample out of the window.
    for (let i = 0; i < 100; i++) {
      w.record(1000);
    }
    expect(w.summary()).toEqual({ last: 1000, p50: 1000, p95: 1000, max: 1000 });
    expect(w.size).toBe(100);
  });

  test('sorts numerically, not as strings', () => {
    const w = new LatencyWindow(3);
    [9, 10, 100].forEach((v) => w.record(v));
    expect(w.summary().max).toBe(100);
    expect(w.summary().p50).toBe(10);
  });

  test('rejects a capacity that is not a positive integer', () => {
    expect(() => new LatencyWindow(0)).toThrow(RangeError);
    expect(() => new LatencyWindow(1.5)).toThrow(RangeError);
  });
});
