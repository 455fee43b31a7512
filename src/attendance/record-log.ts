// Writes one recognition event: idempotent by eventId, deduplicated across all
// cameras, serialized per employee with a row lock so that concurrent requests
// and several server instances cannot both log the same person.
import { Prisma, type PrismaClient } from '../generated/prisma/client.js';
import { decideDedupe, dedupeRange } from './dedupe.js';
import { localDateOf } from './local-time.js';
import { lockEmployee, relabelDay } from './relabel.js';
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

export async function writeRecognition(
  prisma: PrismaClient,
  config: AttendanceConfig,
  now: Date,
  event: WriteEvent,
): Promise<WriteResult> {
  try {
    return await prisma.$transaction(
      async (tx): Promise<WriteResult> => {
        // Lock first: every read below then sees what the previous holder committed
        // (READ COMMITTED), never an older snapshot.
        const employee = await lockEmployee(tx, event.employeeId);
        if (!employee || employee.erased) {
          return { kind: 'rejected', reason: 'unknown_employee' };
        }
        const same = await tx.attendanceLog.findUnique({ where: { eventId: event.eventId }, select: { id: true } });
        if (same) {
          return { kind: 'duplicate', reason: 'same_event', existingLogId: same.id };
        }
        if (event.cameraId !== null) {
          const camera = await tx.camera.findUnique({ where: { id: event.cameraId }, select: { id: true } });
          if (!camera) {
            return { kind: 'rejected', reason: 'unknown_camera' };
          }
        }
        const nearby = await tx.attendanceLog.findMany({
          where: {
            employeeId: event.employeeId,
            voidedAt: null,
            checkInTime: dedupeRange(event.at, config.ATTENDANCE_DEDUPE_MINUTES),
          },
          select: { id: true, checkInTime: true },
        });
        const decision = decideDedupe(nearby, event.at, config.ATTENDANCE_DEDUPE_MINUTES);
        if (decision.kind === 'duplicate') {
          return { kind: 'duplicate', reason: 'dedupe_window', existingLogId: decision.existingLogId };
        }
        const localDate = localDateOf(event.at, config.TIMEZONE);
        const keepSnapshot = event.hasSnapshot && config.SNAPSHOTS_ENABLED && config.SNAPSHOT_RETENTION_DAYS > 0;
        const created = await tx.attendanceLog.create({
          data: {
            eventId: event.eventId,
            employeeId: event.employeeId,
            cameraId: event.cameraId,
            checkInTime: event.at,
            localDate,
            // Provisional: relabelDay decides check_in / check_out / seen.
            eventType: 'seen',
            confidenceScore: event.confidence,
            recognitionMethod: event.method,
            snapshotPath: keepSnapshot ? snapshotRelativePath(localDate, event.eventId) : null,
            snapshotExpiresAt: keepSnapshot
              ? new Date(now.getTime() + config.SNAPSHOT_RETENTION_DAYS * 86_400_000)
              : null,
          },
          select: { id: true },
        });
        await relabelDay(tx, event.employeeId, localDate, labelRules(config));
        const log: AttendanceLogRecord = await tx.attendanceLog.findUniqueOrThrow({ where: { id: created.id } });
        return { kind: 'logged', log };
      },
      { isolationLevel: Prisma.TransactionIsolationLevel.ReadCommitted, maxWait: 10_000, timeout: 15_000 },
    );
  } catch (error) {
    // Same eventId reused for another employee (client-supplied keys): still one log.
    if (error instanceof Prisma.PrismaClientKnownRequestError && error.code === 'P2002') {
      const same = await prisma.attendanceLog.findUnique({ where: { eventId: event.eventId }, select: { id: true } });
      if (same) {
        return { kind: 'duplicate', reason: 'same_event', existingLogId: same.id };
      }
    }
    throw error;
  }
}

export function labelRules(config: AttendanceConfig): { checkoutEnabled: boolean; checkoutMinMinutes: number } {
  return { checkoutEnabled: config.CHECKOUT_ENABLED, checkoutMinMinutes: config.CHECKOUT_MIN_MINUTES };
}
