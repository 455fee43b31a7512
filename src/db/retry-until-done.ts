// Start-up work that needs the database, retried in the background while the
// database is unreachable: the server listens meanwhile (health/live 200,
// health/ready 503 naming the database) and completes its set-up once the
// database answers, with no restart. Each attempt must be safe to repeat.
import type { Logger } from 'pino';

export interface BackgroundRetry {
  /** Resolves once an attempt succeeded (never, if stopped first). */
  readonly done: Promise<void>;
  /** No further attempt; waits for the one running. */
  stop(): Promise<void>;
}

export function retryUntilDone(
  work: () => Promise<void>,
  options: { intervalMs: number; log: Logger; what: string },
): BackgroundRetry {
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  let attempt: Promise<void> = Promise.resolve();
  let markDone = (): void => undefined;
  const done = new Promise<void>((resolve) => {
    markDone = resolve;
  });

  const schedule = (): void => {
    timer = setTimeout(() => {
      attempt = work().then(
        () => {
          options.log.info(`${options.what}: done`);
          markDone();
        },
        (error: unknown) => {
          options.log.warn({ err: error }, `${options.what}: failed, retrying in ${options.intervalMs} ms`);
          if (!stopped) {
            schedule();
          }
        },
      );
    }, options.intervalMs);
  };
  schedule();

  return {
    done,
    async stop() {
      stopped = true;
      clearTimeout(timer);
      await attempt;
    },
  };
}
