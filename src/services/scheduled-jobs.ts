// Recurring background work (retention purge, session expiry, ...), declared in
// one place (src/services/create-services.ts) so anyone can see what runs on
// its own. A run never overlaps the previous one of the same job; a failure is
// logged and the job runs again at its next tick; stop() waits for runs in
// flight.
import type { Logger } from 'pino';

export interface ScheduledJob {
  readonly name: string;
  readonly everyMs: number;
  /** Also run once as soon as the scheduler starts. */
  readonly runAtStart?: boolean;
  run(): Promise<unknown>;
}

export interface JobScheduler {
  /** Adds a job; it starts ticking with start() (or at once if already started). */
  add(job: ScheduledJob): void;
  readonly jobs: readonly string[];
  start(): void;
  stop(): Promise<void>;
  /** Runs of `name` completed so far (tests wait on it). */
  completedRuns(name: string): number;
}

interface Entry {
  job: ScheduledJob;
  timer: NodeJS.Timeout | undefined;
  running: Promise<void> | undefined;
  runs: number;
}

export function createJobScheduler(log: Logger): JobScheduler {
  const entries: Entry[] = [];
  let started = false;

  const tick = (entry: Entry): void => {
    if (entry.running !== undefined || !started) {
      return;
    }
    entry.running = entry.job
      .run()
      .then(
        (result) => log.debug({ job: entry.job.name, result }, 'scheduled job done'),
        (error: unknown) => log.error({ err: error, job: entry.job.name }, 'scheduled job failed'),
      )
      .finally(() => {
        entry.running = undefined;
        entry.runs += 1;
      });
  };

  const arm = (entry: Entry): void => {
    entry.timer = setInterval(() => tick(entry), entry.job.everyMs);
    // Scheduled work never keeps the process alive on its own.
    entry.timer.unref();
    if (entry.job.runAtStart === true) {
      tick(entry);
    }
  };

  return {
    add(job) {
      const entry: Entry = { job, timer: undefined, running: undefined, runs: 0 };
      entries.push(entry);
      if (started) {
        arm(entry);
      }
    },
    get jobs() {
      return entries.map((e) => e.job.name);
    },
    start() {
      if (started) {
        return;
      }
      started = true;
      entries.forEach(arm);
      log.info({ jobs: entries.map((e) => `${e.job.name} every ${e.job.everyMs} ms`) }, 'scheduled jobs started');
    },
    async stop() {
      started = false;
      for (const entry of entries) {
        clearInterval(entry.timer);
        entry.timer = undefined;
      }
      await Promise.allSettled(entries.flatMap((e) => (e.running === undefined ? [] : [e.running])));
    },
    completedRuns(name) {
      return entries.find((e) => e.job.name === name)?.runs ?? 0;
    },
  };
}
