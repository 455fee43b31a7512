// Nothing kept past its time: snapshots older than SNAPSHOT_RETENTION_DAYS and
// expired Idempotency-Key answers are purged on a schedule (once shortly after
// start, then every RETENTION_INTERVAL_MS), on every instance (the purges are
// idempotent, so instances racing each other do no harm).
import type { Logger } from 'pino';

export const RETENTION_INTERVAL_MS = 60 * 60 * 1000;
const FIRST_RUN_DELAY_MS = 5_000;

export interface RetentionJobs {
  /** Returns how many snapshots were deleted. */
  purgeSnapshots(): Promise<number>;
  /** Returns how many stored answers were deleted. */
  purgeIdempotency(): Promise<number>;
}

export interface RetentionSchedule {
  /** One pass now (tests, and the scheduled runs). */
  runOnce(): Promise<{ snapshots: number; idempotency: number }>;
  stop(): Promise<void>;
}

export function startRetention(jobs: RetentionJobs, log: Logger, intervalMs = RETENTION_INTERVAL_MS): RetentionSchedule {
  let running: Promise<{ snapshots: number; idempotency: number }> | undefined;
  let stopped = false;

  const runOnce = (): Promise<{ snapshots: number; idempotency: number }> => {
    running ??= (async () => {
      const snapshots = await jobs.purgeSnapshots().catch((error: unknown) => {
        log.error({ err: error }, 'retention: snapshot purge failed');
        return 0;
      });
      const idempotency = await jobs.purgeIdempotency().catch((error: unknown) => {
        log.error({ err: error }, 'retention: idempotency purge failed');
        return 0;
      });
      if (snapshots + idempotency > 0) {
        log.info({ snapshots, idempotency }, 'retention: expired data purged');
      }
      return { snapshots, idempotency };
    })().finally(() => {
      running = undefined;
    });
    return running;
  };

  const tick = (): void => {
    if (!stopped) {
      void runOnce();
    }
  };
  const first = setTimeout(tick, Math.min(FIRST_RUN_DELAY_MS, intervalMs));
  const every = setInterval(tick, intervalMs);
  first.unref();
  every.unref();

  return {
    runOnce,
    async stop() {
      stopped = true;
      clearTimeout(first);
      clearInterval(every);
      await running?.catch(() => undefined);
    },
  };
}
