// Exponential back-off with jitter for reconnecting cameras and restarting
// crashed capture workers. Pure: the caller owns the attempt counter and the
// random source, so tests can check the sequence.

export interface BackoffOptions {
  /** First delay (attempt 0), ms. */
  initialMs: number;
  /** Cap, ms. */
  maxMs: number;
  /** Growth per attempt. */
  factor: number;
  /** +/- fraction of random spread, 0..1 (0.2 = 80%..120%), so many cameras do not retry in step. */
  jitter: number;
}

export const DEFAULT_BACKOFF: BackoffOptions = { initialMs: 500, maxMs: 30_000, factor: 2, jitter: 0.2 };

export function backoffDelay(attempt: number, options: BackoffOptions = DEFAULT_BACKOFF, random: () => number = Math.random): number {
  const base = Math.min(options.maxMs, options.initialMs * options.factor ** Math.max(0, attempt));
  const spread = 1 + options.jitter * (2 * random() - 1);
  return Math.round(Math.min(options.maxMs, base * spread));
}
