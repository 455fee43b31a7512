// Writes one recognition event: idempotent by eventId, deduplicated across all
// cameras, serialized per employee with a row lock so that concurrent requests
// and several server instances cannot both log the same person.
import { Prisma, type PrismaClient } from '../generated/prisma/client.js';
import { isForeignKeyViolation, isUniqueViolation } from '../db/prisma-errors.js';
import { decideDedupe, dedupeRange } from './dedupe.js';
import { localDateOf } from './local-time.js';
import { labelDay } from './day-labels.js';
import { lockEmployee } from './relabel.js';
import { snapshotRelativePath } from './snapshots.js';
import type { AttendanceConfig, AttendanceLogRecord, RecordResult } from './types.js';

export type WriteEvent = {
  eventId: string;
  employeeId: number;
  cameraId: number | null;
  at: Date;
  confidence: number;
  method: 'svm' | 'cosine';
  hasSnapshot: boolean;
};

export type WriteResult = Exclude<RecordResult, { kind: 'queued' }>;

// Stands for the not yet inserted log when labelling its day; sorts after any
// real id at the same instant.
const NEW_LOG = Number.MAX_SAFE_INTEGER;

/**
 * Five statements in one READ COMMITTED transaction: lock the employee row,
 * read the logs that matter (same eventId, the dedupe range, the local day),
 * insert with its final label, and move other labels of the day if needed.
 */
export async function writeRecognition(
  prisma: PrismaClient,
  config: AttendanceConfig,
  now: Date,
  event: WriteEvent,
): Promise<WriteResult> {
  const localDate = localDateOf(event.at, config.TIMEZONE);
  const range = dedupeRange(event.at, config.ATTENDANCE_DEDUPE_MINUTES);
  try {
    return await prisma.$transaction(
      async (tx): Promise<WriteResult> => {
        // Lock first: every read below then sees what the previous holder
        // committed (READ COMMITTED), never an older snapshot.
        const employee = await lockEmployee(tx, event.employeeId);
        if (!employee || employee.erased) {
          return { kind: 'rejected', reason: 'unknown_employee' };
        }
        const related = await tx.attendanceLog.findMany({
          where: {
            employeeId: event.employeeId,
            OR: [
              // Voided logs count here: replaying a voided event must not revive it.
              { eventId: event.eventId },
              { voidedAt: null, OR: [{ localDate }, { checkInTime: range }] },
            ],
          },
          select: { id: true, eventId: true, checkInTime: true, localDate: true, eventType: true, voidedAt: true },
        });
        const same = related.find((l) => l.eventId === event.eventId);
        if (same) {
          return { kind: 'duplicate', reason: 'same_event', existingLogId: same.id };
        }
        const live = related.filter((l) => l.voidedAt === null);
        const nearby = live.filter((l) => l.checkInTime > range.gt && l.checkInTime < range.lt);
        const decision = decideDedupe(nearby, event.at, config.ATTENDANCE_DEDUPE_MINUTES);
        if (decision.kind === 'duplicate') {
          return { kind: 'duplicate', reason: 'dedupe_window', existingLogId: decision.existingLogId };
        }
        const day = live.filter((l) => l.localDate === localDate);
        const labels = labelDay([...day, { id: NEW_LOG, checkInTime: event.at, eventType: 'seen' }], labelRules(config));
        const keepSnapshot = event.hasSnapshot && config.SNAPSHOTS_ENABLED && config.SNAPSHOT_RETENTION_DAYS > 0;
        // An unknown camera fails the foreign key (P2003), handled below.
        const log: AttendanceLogRecord = await tx.attendanceLog.create({
          data: {
            eventId: event.eventId,
            employeeId: event.employeeId,
            cameraId: event.cameraId,
            checkInTime: event.at,
            localDate,
            eventType: labels.get(NEW_LOG) ?? 'seen',
            confidenceScore: event.confidence,
            recognitionMethod: event.method,
            snapshotPath: keepSnapshot ? snapshotRelativePath(localDate, event.eventId) : null,
            snapshotExpiresAt: keepSnapshot
              ? new Date(now.getTime() + config.SNAPSHOT_RETENTION_DAYS * 86_400_000)
              : null,
          },
        });
        // E.g. the previous check-out becomes a sighting when this one takes over.
        for (const old of day) {
          const label = labels.get(old.id);
          if (label && label !== old.eventType) {
            await tx.attendanceLog.update({ where: { id: old.id }, data: { eventType: label } });
          }
        }
        return { kind: 'logged', log };
      },
      // maxWait/timeout: the client's (DB_CONNECT_TIMEOUT_MS / DB_QUERY_TIMEOUT_MS, src/db/prisma.ts).
      { isolationLevel: Prisma.TransactionIsolationLevel.ReadCommitted },
    );
  } catch (error) {
    // The eventId is taken. The same event of the same person (a concurrent replay) is one log;
    // another person's log is never handed out as this one's (ids are made per face, so that
    // would be a defect, not a duplicate).
    if (isUniqueViolation(error)) {
      const same = await prisma.attendanceLog.findUnique({ where: { eventId: event.eventId }, select: { id: true, employeeId: true } });
      if (same && same.employeeId === event.employeeId) {
        return { kind: 'duplicate', reason: 'same_event', existingLogId: same.id };
      }
      if (same) {
        throw new Error(`attendance event id collision between two employees (event ${event.eventId})`);
      }
    }
    if (isForeignKeyViolation(error) && event.cameraId !== null) {
      return { kind: 'rejected', reason: 'unknown_camera' };
    }
    // Callers queue what does not prove the event bad (src/db/prisma-errors.ts).
    throw error;
  }
}

export function labelRules(config: AttendanceConfig): { checkoutEnabled: boolean; checkoutMinMinutes: number } {
  return { checkoutEnabled: config.CHECKOUT_ENABLED, checkoutMinMinutes: config.CHECKOUT_MIN_MINUTES };
}
