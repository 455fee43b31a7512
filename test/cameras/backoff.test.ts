import { describe, expect, it } from 'vitest';
import { backoffDelay, DEFAULT_BACKOFF } from '../../src/cameras/backoff.js';

describe('backoffDelay', () => {
  it('doubles from 0.5 s and stops at 30 s', () => {
    const mid = (): number => 0.5; // no jitter
    expect([0, 1, 2, 3, 4, 5, 6, 7, 20].map((a) => backoffDelay(a, DEFAULT_BACKOFF, mid))).toEqual([
      500, 1000, 2000, 4000, 8000, 16000, 30000, 30000, 30000,
    ]);
  });

  it('spreads retries by the jitter fraction and never exceeds the cap', () => {
    expect(backoffDelay(0, DEFAULT_BACKOFF, () => 0)).toBe(400);
    expect(backoffDelay(0, DEFAULT_BACKOFF, () => 1)).toBe(600);
    expect(backoffDelay(10, DEFAULT_BACKOFF, () => 1)).toBe(30_000);
    for (let a = 0; a < 5; a += 1) {
      // Below the cap, even the worst jitter keeps each attempt longer than the one before.
      expect(backoffDelay(a + 1, DEFAULT_BACKOFF, () => 0)).toBeGreaterThan(backoffDelay(a, DEFAULT_BACKOFF, () => 0.999));
    }
  });
});
