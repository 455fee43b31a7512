// The outbox's append-only JSONL journal under DATA_DIR/outbox:
// `{"t":"enq","e":{...}}` adds an event (fsync'd before enqueue resolves),
// `{"t":"ack","id":...}` removes it. Appends, acks and compaction run one at a time, in order.
import { mkdir, open, readFile, rename, type FileHandle } from 'node:fs/promises';
import { join } from 'node:path';
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
  /** The face crop waits in its own file (outbox-snapshots.ts), not in memory. */
  hasSnapshot?: boolean;
  /** Journals written before snapshots had their own files kept them inline. */
  snapshotJpegBase64?: string;
};

type JournalLine = { t: 'enq'; e: OutboxEntry } | { t: 'ack'; id: string };

export const JOURNAL_FILE = 'attendance-outbox.jsonl';

export interface OutboxJournal {
  /** Every event enqueued and not acked, in journal order (a torn last line is skipped). */
  read(): Promise<OutboxEntry[]>;
  append(entry: OutboxEntry): Promise<void>;
  ack(eventId: string): Promise<void>;
  /** Rewrites the journal with just these events (atomic rename, made durable). */
  compact(pending: readonly OutboxEntry[]): Promise<void>;
  close(): Promise<void>;
}

export function createJournal(dir: string, logger: Logger): OutboxJournal {
  const path = join(dir, JOURNAL_FILE);
  let handle: FileHandle | undefined;
  let chain: Promise<unknown> = Promise.resolve();

  const serial = <T>(task: () => Promise<T>): Promise<T> => {
    const run = chain.then(task, task);
    chain = run.catch(() => undefined);
    return run;
  };

  const appendLine = (line: JournalLine, durable: boolean): Promise<void> =>
    serial(async () => {
      if (!handle) {
        await mkdir(dir, { recursive: true, mode: 0o700 });
        // Owner only: older journals held face crops inline.
        handle = await open(path, 'a', 0o600);
      }
      await handle.write(`${JSON.stringify(line)}\n`);
      if (durable) {
        await handle.datasync();
      }
    });

  return {
    async read() {
      let text = '';
      try {
        text = await readFile(path, 'utf8');
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
      const seen = new Set<string>();
      return entries.filter((e) => {
        const keep = !acked.has(e.eventId) && !seen.has(e.eventId);
        seen.add(e.eventId);
        return keep;
      });
    },

    append: (entry) => appendLine({ t: 'enq', e: entry }, true),

    // Not fsync'd: an ack lost in a crash only replays an event the database
    // already holds, which its eventId turns into a `same_event` duplicate.
    ack: (eventId) => appendLine({ t: 'ack', id: eventId }, false),

    compact: (pending) =>
      serial(async () => {
        await handle?.close();
        handle = undefined;
        await mkdir(dir, { recursive: true, mode: 0o700 });
        const tmp = `${path}.tmp`;
        const f = await open(tmp, 'w', 0o600);
        try {
          await f.write(pending.map((e) => `${JSON.stringify({ t: 'enq', e } satisfies JournalLine)}\n`).join(''));
          await f.sync();
        } finally {
          await f.close();
        }
        await rename(tmp, path);
        // Make the rename itself durable.
        const d = await open(dir, 'r');
        try {
          await d.sync();
        } finally {
          await d.close();
        }
      }),

    close: () =>
      serial(async () => {
        await handle?.close();
        handle = undefined;
      }),
  };
}
