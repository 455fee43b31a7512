// The dedupe window: one person seen by several cameras, or by one camera for
// many frames, is one log. The window is symmetric so that events replayed
// from the outbox slightly out of order are still caught.

export type TimedLog = { id: number; checkInTime: Date };

export type DedupeDecision = { kind: 'new' } | { kind: 'duplicate'; existingLogId: number };

/**
 * `nearby` are the employee's non-voided logs (from every camera) around `at`.
 * A log less than `windowMinutes` away makes the event a duplicate; exactly
 * `windowMinutes` away is a new log. A window of 0 disables deduplication.
 */
export function decideDedupe(nearby: readonly TimedLog[], at: Date, windowMinutes: number): DedupeDecision {
  const windowMs = windowMinutes * 60_000;
  let best: { id: number; distance: number } | undefined;
  for (const log of nearby) {
    const distance = Math.abs(log.checkInTime.getTime() - at.getTime());
    if (distance < windowMs && (!best || distance < best.distance)) {
      best = { id: log.id, distance };
    }
  }
  return best ? { kind: 'duplicate', existingLogId: best.id } : { kind: 'new' };
}

/** The range of check-in times that can make an event at `at` a duplicate. */
export function dedupeRange(at: Date, windowMinutes: number): { gt: Date; lt: Date } {
  const windowMs = windowMinutes * 60_000;
  return { gt: new Date(at.getTime() - windowMs), lt: new Date(at.getTime() + windowMs) };
}
