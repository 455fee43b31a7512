// The one decision every attendance event goes through (REST and GraphQL
// recognize, live cameras): write it now, or keep it in the durable outbox.
//
// Queue unless proven wrong: a write that fails for any reason that does not
// prove the event itself bad (src/db/prisma-errors.ts) is queued and reported
// as `queued`; only a constraint or validation failure is passed on. While
// writes are failing, events go straight to the queue instead of waiting on a
// database that does not answer, and an employee's events never overtake the
// ones already queued.
import { classifyDbError } from '../db/prisma-errors.js';
import type { AttendanceOutbox, OutboxEntry } from './outbox.js';
import type { WriteResult } from './record-log.js';
import type { Logger, RecordResult } from './types.js';

export type WriteEntry = (entry: OutboxEntry, snapshot: Uint8Array | undefined) => Promise<WriteResult>;

export async function recordOrQueue(
  deps: { outbox: AttendanceOutbox; write: WriteEntry; logger: Logger },
  entry: OutboxEntry,
  snapshot: Uint8Array | undefined,
): Promise<RecordResult> {
  const { outbox, logger } = deps;
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
}
