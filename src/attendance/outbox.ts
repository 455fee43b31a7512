// Durable local queue for recognition events while the database is unreachable.
//
// An append-only JSONL journal under DATA_DIR, fsync'd before `enqueue`
// resolves: `{"t":"enq","e":{...}}` adds an event, `{"t":"ack","id":...}`
// removes it. A drainer retries with exponential backoff and writes events in
// arrival order (so per-employee order, which the dedupe window relies on, is
// kept). Every event carries its eventId, so a crash between the database
// commit and the ack line only makes the replay a `same_event` duplicate:
// nothing lost, nothing doubled. When the queue empties the journal is
// compacted; on start the journal is read back and drained.
import { mkdir, open, readFile, rename, appendFile, writeFile, type FileHandle } from 'node:fs/promises';
import { join } from 'node:path';
import { isDatabaseUnreachable } from './db-unreachable.js';
import type { Logger } from './types.js';

/** A recognition event as stored in the journal (JSON-safe). */
export type OutboxEntry = {
  eventId: string;
  employeeId: number;
  cameraId: number | null;
  /** ISO instant */
  at: string;
  confidence: number;
  method: 'svm' | 'cosine';
  snapshotJpegBase64?: string;
};

type JournalLine = { t: 'enq'; e: OutboxEntry } | { t: 'ack'; id: string };

export type OutboxOptions = {
  dir: string;
  /** Writes one event to the database; throws when it cannot. */
  write: (entry: OutboxEntry) => Promise<unknown>;
  logger: Logger;
  initialBackoffMs?: number;
  maxBackoffMs?: number;
};

export interface AttendanceOutbox {
  /** Reads the journal back and schedules a drain of what is left. */
  start(): Promise<void>;
  /** Appends the event durably; resolves once it is on disk. */
  enqueue(entry: OutboxEntry): Promise<void>;
  /** True while an event of this employee waits, so newer ones queue behind it. */
  hasPending(employeeId: number): boolean;
  readonly size: number;
  /** One drain pass now; resolves with the number of events still queued. */
  drain(): Promise<number>;
  /** Resolves when the queue is empty (tests, graceful shutdown). */
  whenEmpty(): Promise<void>;
  /**
   * Erasure: drops every queued event of the employee (snapshot bytes included) from
   * memory, the journal and the dead-letter file; returns how many were dropped.
   */
  forgetEmployee(employeeId: number): Promise<number>;
  stop(): Promise<void>;
}

export const JOURNAL_FILE = 'attendance-outbox.jsonl';
export const DEAD_LETTER_FILE = 'attendance-dead-letter.jsonl';
/** Bounds the journal during a long outage with partial progress. */
const COMPACT_EVERY_ACKS = 1000;

export function createOutbox(options: OutboxOptions): AttendanceOutbox {
  const { dir, write, logger } = options;
  const initialBackoff = options.initialBackoffMs ?? 250;
  const maxBackoff = options.maxBackoffMs ?? 30_000;
  const journalPath = join(dir, JOURNAL_FILE);

  const pending: OutboxEntry[] = [];
  const pendingIds = new Set<string>();
  const perEmployee = new Map<number, number>();
  let handle: FileHandle | undefined;
  let ackedSinceCompaction = 0;
  // Appends, acks and compaction run one at a time, in order.
  let ioChain: Promise<unknown> = Promise.resolve();
  let draining: Promise<number> | undefined;
  let timer: NodeJS.Timeout | undefined;
  let backoff = initialBackoff;
  let stopped = false;
  let emptyWaiters: Array<() => void> = [];

  const serial = <T>(task: () => Promise<T>): Promise<T> => {
    const run = ioChain.then(task, task);
    ioChain = run.catch(() => undefined);
    return run;
  };

  const appendLine = async (line: JournalLine): Promise<void> => {
    if (!handle) {
      await mkdir(dir, { recursive: true, mode: 0o700 });
      handle = await open(journalPath, 'a', 0o600);
    }
    await handle.write(`${JSON.stringify(line)}\n`);
    await handle.datasync();
  };

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
    const n = (perEmployee.get(entry.employeeId) ?? 1) - 1;
    if (n <= 0) {
      perEmployee.delete(entry.employeeId);
    } else {
      perEmployee.set(entry.employeeId, n);
    }
  };

  /** Rewrites the journal with only the pending events (atomic rename). */
  const compact = async (): Promise<void> => {
    await handle?.close();
    handle = undefined;
    const tmp = `${journalPath}.tmp`;
    const f = await open(tmp, 'w', 0o600);
    try {
      await f.write(pending.map((e) => `${JSON.stringify({ t: 'enq', e } satisfies JournalLine)}\n`).join(''));
      await f.sync();
    } finally {
      await f.close();
    }
    await rename(tmp, journalPath);
    // Make the rename itself durable.
    const d = await open(dir, 'r');
    try {
      await d.sync();
    } finally {
      await d.close();
    }
    ackedSinceCompaction = 0;
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
    if (stopped || timer || pending.length === 0) {
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

  const drainOnce = async (): Promise<number> => {
    while (pending.length > 0 && !stopped) {
      const entry = pending[0] as OutboxEntry;
      try {
        await write(entry);
      } catch (error) {
        if (isDatabaseUnreachable(error)) {
          logger.warn({ queued: pending.length, retryInMs: backoff }, 'attendance outbox: database unreachable, will retry');
          const delay = backoff;
          backoff = Math.min(backoff * 2, maxBackoff);
          schedule(delay);
          return pending.length;
        }
        // Retrying would fail the same way: keep the event for a human, move on.
        logger.error({ err: error, eventId: entry.eventId }, 'attendance outbox: event rejected, moved to dead letter');
        await appendFile(join(dir, DEAD_LETTER_FILE), `${JSON.stringify({ entry, error: String(error) })}\n`, { mode: 0o600 });
      }
      await serial(() => appendLine({ t: 'ack', id: entry.eventId }));
      untrackHead();
      ackedSinceCompaction += 1;
      if (ackedSinceCompaction >= COMPACT_EVERY_ACKS) {
        await serial(compact);
      }
    }
    backoff = initialBackoff;
    if (pending.length === 0 && ackedSinceCompaction > 0) {
      await serial(compact);
    }
    notifyIfEmpty();
    return pending.length;
  };

  const outbox: AttendanceOutbox = {
    async start() {
      stopped = false;
      await mkdir(dir, { recursive: true, mode: 0o700 });
      let text = '';
      try {
        text = await readFile(journalPath, 'utf8');
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'ENOENT') {
          throw error;
        }
      }
      const acked = new Set<string>();
      const entries: OutboxEntry[] = [];
      for (const raw of text.split('\n')) {
        if (raw.trim() === '') {
          continue;
        }
        let line: JournalLine;
        try {
          line = JSON.parse(raw) as JournalLine;
        } catch {
          // A torn last line from a crash mid-append: its enqueue never resolved.
          logger.warn({ line: raw.slice(0, 200) }, 'attendance outbox: skipping unreadable journal line');
          continue;
        }
        if (line.t === 'ack') {
          acked.add(line.id);
        } else if (line.t === 'enq') {
          entries.push(line.e);
        }
      }
      for (const e of entries) {
        if (!acked.has(e.eventId) && !pendingIds.has(e.eventId)) {
          track(e);
        }
      }
      // Rewriting at once also drops a torn last line, so later appends never
      // glue onto it.
      await serial(compact);
      if (pending.length > 0) {
        logger.info({ queued: pending.length }, 'attendance outbox: replaying queued events');
        schedule(0);
      }
    },

    async enqueue(entry) {
      if (pendingIds.has(entry.eventId)) {
        return;
      }
      await serial(() => appendLine({ t: 'enq', e: entry }));
      if (!pendingIds.has(entry.eventId)) {
        track(entry);
      }
      schedule(backoff);
    },

    hasPending(employeeId) {
      return perEmployee.has(employeeId);
    },

    get size() {
      return pending.length;
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

    async forgetEmployee(employeeId) {
      // An event being written right now finishes first (the database then refuses an erased employee).
      await draining?.catch(() => undefined);
      const dropped = await serial(async () => {
        const keep = pending.filter((e) => e.employeeId !== employeeId);
        const count = pending.length - keep.length;
        pending.splice(0, pending.length, ...keep);
        pendingIds.clear();
        perEmployee.delete(employeeId);
        keep.forEach((e) => pendingIds.add(e.eventId));
        // The journal still holds acked and dropped lines with their snapshot bytes: rewrite it.
        await mkdir(dir, { recursive: true, mode: 0o700 });
        await compact();
        return count;
      });
      const deadLetter = join(dir, DEAD_LETTER_FILE);
      await serial(async () => {
        let text: string;
        try {
          text = await readFile(deadLetter, 'utf8');
        } catch (error) {
          if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
            return;
          }
          throw error;
        }
        const lines = text.split('\n').filter((line) => line.trim() !== '');
        const kept = lines.filter((line) => {
          try {
            return (JSON.parse(line) as { entry?: { employeeId?: number } }).entry?.employeeId !== employeeId;
          } catch {
            return true;
          }
        });
        if (kept.length !== lines.length) {
          const tmp = `${deadLetter}.tmp`;
          await writeFile(tmp, kept.map((l) => `${l}\n`).join(''), { mode: 0o600 });
          await rename(tmp, deadLetter);
        }
      });
      notifyIfEmpty();
      return dropped;
    },

    async stop() {
      stopped = true;
      if (timer) {
        clearTimeout(timer);
        timer = undefined;
      }
      await draining?.catch(() => undefined);
      await serial(async () => {
        await handle?.close();
        handle = undefined;
      });
    },
  };
  return outbox;
}
