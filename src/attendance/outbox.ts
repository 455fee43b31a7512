// Durable local queue for recognition events the database did not take.
//
// Journal (outbox-journal.ts) + face crops in files (outbox-snapshots.ts), both
// fsync'd before `enqueue` resolves. A drainer retries with exponential backoff
// and writes events in arrival order (so per-employee order, which the dedupe
// window relies on, is kept). Every event carries its eventId, so a crash
// between the database commit and the ack line only makes the replay a
// `same_event` duplicate: nothing lost, nothing doubled. When the queue empties
// the journal is compacted; on start it is read back and drained.
//
// What is retried: every failure that does not prove the event bad
// (src/db/prisma-errors.ts). An event the database keeps refusing while it
// answers a plain probe is a poison event: after a few attempts it goes to the
// dead letter file, so it cannot hold the queue up for ever.
//
// Bounded: OUTBOX_MAX_EVENTS events; a warning (log + status level 'warning')
// from OUTBOX_WARN_RATIO of it; past it new events are refused (OutboxFullError).
import { appendFile, mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { classifyDbError } from '../db/prisma-errors.js';
import { createJournal, type OutboxEntry } from './outbox-journal.js';
import { createOutboxSnapshots } from './outbox-snapshots.js';
import { dropDeadLettersOf } from './outbox-erasure.js';
import type { Logger } from './types.js';

export { JOURNAL_FILE, type OutboxEntry } from './outbox-journal.js';

export const DEAD_LETTER_FILE = 'attendance-dead-letter.jsonl';
export const DEFAULT_OUTBOX_MAX_EVENTS = 20_000;
/** The alarm goes off at this share of the bound. */
export const OUTBOX_WARN_RATIO = 0.8;
/** Attempts of one event while the database answers a probe, before it counts as poison. */
export const POISON_ATTEMPTS = 5;
/** Bounds the journal during a long outage with partial progress. */
const COMPACT_EVERY_ACKS = 1000;

export type OutboxOptions = {
  dir: string;
  /** Writes one event to the database; throws when it cannot. */
  write: (entry: OutboxEntry, snapshot: Uint8Array | undefined) => Promise<unknown>;
  /** Does the database answer at all (e.g. SELECT 1)? Tells an outage from a poison event. */
  probe?: () => Promise<boolean>;
  logger: Logger;
  maxEvents?: number;
  initialBackoffMs?: number;
  maxBackoffMs?: number;
};

/** For the readiness route and the logs. */
export type OutboxStatus = {
  /** 'warning' from OUTBOX_WARN_RATIO of capacity; 'full': new events are refused. */
  level: 'ok' | 'warning' | 'full';
  queued: number;
  capacity: number;
  warnAt: number;
  /** The last write failed without proving its event bad; events queue until a drain succeeds. */
  retrying: boolean;
  /** Since when writes have been failing (ISO), while retrying. */
  failingSince: string | null;
  /** Time of the oldest queued event (ISO). */
  oldestEventAt: string | null;
  lastError: string | null;
  deadLettered: number;
};

export class OutboxFullError extends Error {
  constructor(readonly capacity: number) {
    super(`attendance outbox full (${capacity} events waiting for the database): event not recorded`);
    this.name = 'OutboxFullError';
  }
}

export interface AttendanceOutbox {
  /** Reads the journal back and schedules a drain of what is left. */
  start(): Promise<void>;
  /** Stores the event durably (resolves once on disk); OutboxFullError past the bound. */
  enqueue(entry: OutboxEntry, snapshot?: Uint8Array): Promise<void>;
  /** A direct write failed without proving its event bad: queue new events at once until a drain succeeds. */
  noteFailure(error: unknown): void;
  /** True while writes fail (see noteFailure); new events go straight to the queue. */
  readonly retrying: boolean;
  /** True while an event of this employee waits, so newer ones queue behind it. */
  hasPending(employeeId: number): boolean;
  readonly size: number;
  status(): OutboxStatus;
  /** One drain pass now; resolves with the number of events still queued. */
  drain(): Promise<number>;
  /** Resolves when the queue is empty (tests, graceful shutdown). */
  whenEmpty(): Promise<void>;
  /** Erasure: drops the employee's queued events (journal, crop files) and dead letters; returns how many. */
  forgetEmployee(employeeId: number): Promise<number>;
  stop(): Promise<void>;
}

const describeError = (error: unknown): string => (error instanceof Error ? `${error.name}: ${error.message}` : String(error)).slice(0, 500);

export function createOutbox(options: OutboxOptions): AttendanceOutbox {
  const { dir, write, logger } = options;
  const capacity = options.maxEvents ?? DEFAULT_OUTBOX_MAX_EVENTS;
  const warnAt = Math.max(1, Math.floor(capacity * OUTBOX_WARN_RATIO));
  const initialBackoff = options.initialBackoffMs ?? 250;
  // Short: the queue is written within about this long after the database is back.
  const maxBackoff = options.maxBackoffMs ?? 2_000;
  const journal = createJournal(dir, logger);
  const snapshots = createOutboxSnapshots(dir);

  const pending: OutboxEntry[] = [];
  const pendingIds = new Set<string>();
  const perEmployee = new Map<number, number>();
  const attemptsWhileUp = new Map<string, number>();
  let ackedSinceCompaction = 0;
  let draining: Promise<number> | undefined;
  let timer: NodeJS.Timeout | undefined;
  let backoff = initialBackoff;
  let stopped = false;
  let retrying = false;
  let failingSince: Date | null = null;
  let lastError: string | null = null;
  let deadLettered = 0;
  let alarm: 'ok' | 'warning' | 'full' = 'ok';
  let emptyWaiters: Array<() => void> = [];
  let starting: Promise<void> | undefined;

  const track = (entry: OutboxEntry): void => {
    pending.push(entry);
    pendingIds.add(entry.eventId);
    perEmployee.set(entry.employeeId, (perEmployee.get(entry.employeeId) ?? 0) + 1);
  };

  const untrackHead = (): void => {
    const entry = pending.shift();
    if (!entry) {
      return;
    }
    pendingIds.delete(entry.eventId);
    attemptsWhileUp.delete(entry.eventId);
    const n = (perEmployee.get(entry.employeeId) ?? 1) - 1;
    if (n <= 0) {
      perEmployee.delete(entry.employeeId);
    } else {
      perEmployee.set(entry.employeeId, n);
    }
  };

  const levelOf = (size: number): OutboxStatus['level'] => (size >= capacity ? 'full' : size >= warnAt ? 'warning' : 'ok');

  /** Logs each change of level once, so an alarm is heard before the bound is reached. */
  const checkAlarm = (): void => {
    const level = levelOf(pending.length);
    if (level === alarm) {
      return;
    }
    const fields = { queued: pending.length, capacity, warnAt, failingSince: failingSince?.toISOString() ?? null };
    if (level === 'full') {
      logger.error(fields, 'attendance outbox full: new events are refused until the database takes the queued ones');
    } else if (level === 'warning' && alarm === 'ok') {
      logger.warn(fields, 'attendance outbox filling up: the database has not taken events for a while');
    } else if (level === 'ok') {
      logger.info(fields, 'attendance outbox back under its warning level');
    }
    alarm = level;
  };

  const notifyIfEmpty = (): void => {
    if (pending.length === 0) {
      const waiters = emptyWaiters;
      emptyWaiters = [];
      for (const w of waiters) {
        w();
      }
    }
  };

  const schedule = (delayMs: number): void => {
    if (stopped || timer || (pending.length === 0 && !retrying)) {
      return;
    }
    timer = setTimeout(() => {
      timer = undefined;
      outbox.drain().catch((error: unknown) => {
        // The journal itself failed (disk full?): try again later rather than crash.
        logger.error({ err: error }, 'attendance outbox: drain failed');
        schedule(maxBackoff);
      });
    }, delayMs);
    timer.unref?.();
  };

  const markFailing = (error: unknown): void => {
    retrying = true;
    failingSince ??= new Date();
    lastError = describeError(error);
  };

  const markHealthy = (): void => {
    retrying = false;
    failingSince = null;
    backoff = initialBackoff;
  };

  const deadLetter = async (entry: OutboxEntry, error: unknown, reason: string): Promise<void> => {
    logger.error({ err: error, eventId: entry.eventId, reason }, 'attendance outbox: event moved to the dead letter file');
    const snapshot = entry.hasSnapshot ? await snapshots.get(entry.eventId).catch(() => undefined) : undefined;
    const kept = snapshot ? { ...entry, snapshotJpegBase64: Buffer.from(snapshot).toString('base64') } : entry;
    await mkdir(dir, { recursive: true });
    await appendFile(
      join(dir, DEAD_LETTER_FILE),
      `${JSON.stringify({ entry: kept, reason, error: describeError(error), at: new Date().toISOString() })}\n`,
      { mode: 0o600 },
    );
    deadLettered += 1;
  };

  /** 'retry' leaves the event at the head of the queue; 'drop' acks it (written, or dead-lettered). */
  const attempt = async (entry: OutboxEntry): Promise<'drop' | 'retry'> => {
    const snapshot = entry.hasSnapshot
      ? await snapshots.get(entry.eventId)
      : entry.snapshotJpegBase64
        ? Buffer.from(entry.snapshotJpegBase64, 'base64')
        : undefined;
    try {
      await write(entry, snapshot);
      return 'drop';
    } catch (error) {
      const failure = classifyDbError(error);
      if (failure.kind === 'proven-bad') {
        await deadLetter(entry, error, failure.reason);
        return 'drop';
      }
      markFailing(error);
      const answers = options.probe ? await options.probe().catch(() => false) : false;
      if (answers) {
        const n = (attemptsWhileUp.get(entry.eventId) ?? 0) + 1;
        attemptsWhileUp.set(entry.eventId, n);
        if (n >= POISON_ATTEMPTS) {
          await deadLetter(entry, error, `failed ${n} times while the database answered`);
          return 'drop';
        }
      }
      logger.warn({ queued: pending.length, retryInMs: backoff, code: failure.code, err: error }, 'attendance outbox: write failed, will retry');
      const delay = backoff;
      backoff = Math.min(backoff * 2, maxBackoff);
      schedule(delay);
      return 'retry';
    }
  };

  const drainOnce = async (): Promise<number> => {
    while (pending.length > 0 && !stopped) {
      const entry = pending[0] as OutboxEntry;
      if ((await attempt(entry)) === 'retry') {
        return pending.length;
      }
      markHealthy();
      await journal.ack(entry.eventId);
      untrackHead();
      if (entry.hasSnapshot) {
        await snapshots.remove(entry.eventId);
      }
      ackedSinceCompaction += 1;
      if (ackedSinceCompaction >= COMPACT_EVERY_ACKS) {
        await journal.compact(pending);
        ackedSinceCompaction = 0;
      }
      checkAlarm();
    }
    if (pending.length === 0) {
      // Nothing left to prove the database down: let the next event try it directly.
      markHealthy();
      if (ackedSinceCompaction > 0) {
        await journal.compact(pending);
        ackedSinceCompaction = 0;
      }
    }
    notifyIfEmpty();
    return pending.length;
  };

  const outbox: AttendanceOutbox = {
    start() {
      stopped = false;
      starting = (async () => {
        await mkdir(dir, { recursive: true });
        for (const e of await journal.read()) {
          if (!pendingIds.has(e.eventId)) {
            track(e);
          }
        }
        // Rewriting at once also drops a torn last line, so later appends never glue onto it.
        await journal.compact(pending);
        await snapshots.prune(new Set(pending.filter((e) => e.hasSnapshot).map((e) => e.eventId)));
        checkAlarm();
        if (pending.length > 0) {
          logger.info({ queued: pending.length }, 'attendance outbox: replaying queued events');
          schedule(0);
        }
      })();
      return starting;
    },

    async enqueue(entry, snapshot) {
      if (pendingIds.has(entry.eventId)) {
        return;
      }
      if (pending.length >= capacity) {
        checkAlarm();
        throw new OutboxFullError(capacity);
      }
      const stored: OutboxEntry = { ...entry };
      delete stored.snapshotJpegBase64;
      if (snapshot) {
        await snapshots.put(entry.eventId, snapshot);
        stored.hasSnapshot = true;
      }
      await journal.append(stored);
      if (!pendingIds.has(entry.eventId)) {
        track(stored);
      }
      checkAlarm();
      schedule(backoff);
    },

    async forgetEmployee(employeeId) {
      await draining?.catch(() => undefined); // an event being written finishes (the database refuses the erased)
      const dropped = pending.filter((e) => e.employeeId === employeeId);
      pending.splice(0, pending.length, ...pending.filter((e) => e.employeeId !== employeeId));
      perEmployee.delete(employeeId);
      dropped.forEach((e) => pendingIds.delete(e.eventId));
      await Promise.all(dropped.map((e) => snapshots.remove(e.eventId)));
      await journal.compact(pending); // acked and dropped lines (older ones with inline crops) go too
      ackedSinceCompaction = 0;
      notifyIfEmpty();
      return dropped.length + (await dropDeadLettersOf(dir, DEAD_LETTER_FILE, employeeId));
    },

    noteFailure(error) {
      markFailing(error);
      schedule(backoff);
    },

    get retrying() {
      return retrying;
    },

    hasPending(employeeId) {
      return perEmployee.has(employeeId);
    },

    get size() {
      return pending.length;
    },

    status() {
      return {
        level: levelOf(pending.length),
        queued: pending.length,
        capacity,
        warnAt,
        retrying,
        failingSince: failingSince?.toISOString() ?? null,
        oldestEventAt: pending[0]?.at ?? null,
        lastError,
        deadLettered,
      };
    },

    drain() {
      if (timer) {
        clearTimeout(timer);
        timer = undefined;
      }
      draining ??= drainOnce().finally(() => {
        draining = undefined;
      });
      return draining;
    },

    whenEmpty() {
      if (pending.length === 0) {
        return Promise.resolve();
      }
      return new Promise((resolve) => emptyWaiters.push(resolve));
    },

    async stop() {
      stopped = true;
      await starting?.catch(() => undefined);
      if (timer) {
        clearTimeout(timer);
        timer = undefined;
      }
      await draining?.catch(() => undefined);
      await journal.close();
    },
  };
  return outbox;
}
