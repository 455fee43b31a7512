// The one decision every attendance event goes through (REST and GraphQL
// recognize, live cameras): write it now, or keep it in the durable outbox.
//
// Queue unless proven wrong: a write that fails for any reason that does not
// prove the event itself bad (src/db/prisma-errors.ts) is queued and reported
// as `queued`; only a constraint or validation failure is passed on. While
// writes are failing, events go straight to the queue instead of waiting on a
// database that does not answer.
//
// One employee's events are decided one at a time, in arrival order: two that
// fail together are queued in the order they came (the dedupe window and the
// check-in/check-out labels depend on it), and an event never overtakes the
// employee's queued ones.
import { classifyDbError } from '../db/prisma-errors.js';
import type { AttendanceOutbox, OutboxEntry } from './outbox.js';
import type { WriteResult } from './record-log.js';
import type { Logger, RecordResult } from './types.js';

export type WriteEntry = (entry: OutboxEntry, snapshot: Uint8Array | undefined) => Promise<WriteResult>;

export type Recorder = (entry: OutboxEntry, snapshot: Uint8Array | undefined) => Promise<RecordResult>;

export function createRecorder(deps: { outbox: AttendanceOutbox; write: WriteEntry; logger: Logger }): Recorder {
  const { outbox, logger } = deps;
  /** The tail of each employee's chain of decisions in progress. */
  const tails = new Map<number, Promise<unknown>>();

  const decide = async (entry: OutboxEntry, snapshot: Uint8Array | undefined): Promise<RecordResult> => {
    if (outbox.retrying || outbox.hasPending(entry.employeeId)) {
      await outbox.enqueue(entry, snapshot);
      return { kind: 'queued', eventId: entry.eventId };
    }
    try {
      return await deps.write(entry, snapshot);
    } catch (error) {
      const failure = classifyDbError(error);
      if (failure.kind === 'proven-bad') {
        throw error;
      }
      logger.warn({ eventId: entry.eventId, code: failure.code, err: error }, 'attendance: write failed without proving the event bad; queued');
      outbox.noteFailure(error);
      await outbox.enqueue(entry, snapshot);
      return { kind: 'queued', eventId: entry.eventId };
    }
  };

  return (entry, snapshot) => {
    const previous = tails.get(entry.employeeId) ?? Promise.resolve();
    const result = previous.then(() => decide(entry, snapshot));
    const tail = result.catch(() => undefined);
    tails.set(entry.employeeId, tail);
    void tail.then(() => {
      if (tails.get(entry.employeeId) === tail) {
        tails.delete(entry.employeeId);
      }
    });
    return result;
  };
}
