// Admin corrections: add, edit or void a log with a reason. Every change is
// written to AuditLog (before/after) in the same transaction as the change,
// and the day's check_in / check_out labels are recomputed. Voided logs stay
// in the table (history) but leave lists, statistics and the dedupe window.
import { randomUUID } from 'node:crypto';
import { Prisma, type PrismaClient } from '../generated/prisma/client.js';
import { ConflictError, EmployeeNotFoundError, NotFoundError, ValidationError } from '../domain/errors.js';
import { writeAuditAs } from '../audit/audit-repository.js';
import { localDateOf } from './local-time.js';
import { labelRules } from './record-log.js';
import { lockEmployee, relabelDay } from './relabel.js';
import type { AttendanceConfig, AttendanceLogRecord } from './types.js';

export type CorrectionBase = { actor: string; reason: string };

export type AddLogInput = CorrectionBase & {
  employeeId: number;
  at: Date;
  cameraId?: number | null;
  /** Defaults to 1: a person vouched for it. */
  confidence?: number;
};

export type EditLogInput = CorrectionBase & { logId: number; at?: Date; cameraId?: number | null };

export type VoidLogInput = CorrectionBase & { logId: number };

export const AUDIT_ENTITY = 'AttendanceLog';

// maxWait/timeout: the client's bounds (src/db/prisma.ts).
const TX_OPTIONS = { isolationLevel: Prisma.TransactionIsolationLevel.ReadCommitted };

function cleanReason(reason: string): string {
  const r = reason.trim();
  if (r.length === 0 || r.length > 512) {
    throw new ValidationError([{ path: ['reason'], message: 'a correction needs a reason (1 to 512 characters)' }]);
  }
  return r;
}

/** The log as JSON for the audit trail (dates as ISO strings). */
export function auditSnapshot(log: AttendanceLogRecord): Prisma.InputJsonObject {
  return {
    id: log.id,
    eventId: log.eventId,
    employeeId: log.employeeId,
    cameraId: log.cameraId,
    checkInTime: log.checkInTime.toISOString(),
    localDate: log.localDate,
    eventType: log.eventType,
    confidenceScore: log.confidenceScore,
    recognitionMethod: log.recognitionMethod,
    voidedAt: log.voidedAt?.toISOString() ?? null,
    voidReason: log.voidReason,
  };
}

async function assertCamera(tx: Prisma.TransactionClient, cameraId: number | null | undefined): Promise<void> {
  if (cameraId !== null && cameraId !== undefined) {
    const camera = await tx.camera.findUnique({ where: { id: cameraId }, select: { id: true } });
    if (!camera) {
      throw new NotFoundError('Camera', cameraId);
    }
  }
}

export async function addLog(prisma: PrismaClient, config: AttendanceConfig, input: AddLogInput): Promise<AttendanceLogRecord> {
  const reason = cleanReason(input.reason);
  return prisma.$transaction(async (tx) => {
    const employee = await lockEmployee(tx, input.employeeId);
    if (!employee || employee.erased) {
      throw new EmployeeNotFoundError(input.employeeId);
    }
    await assertCamera(tx, input.cameraId);
    const localDate = localDateOf(input.at, config.TIMEZONE);
    // Manual entries skip the dedupe window: the admin means it.
    const created = await tx.attendanceLog.create({
      data: {
        eventId: `manual-${randomUUID()}`,
        employeeId: input.employeeId,
        cameraId: input.cameraId ?? null,
        checkInTime: input.at,
        localDate,
        eventType: 'seen',
        confidenceScore: input.confidence ?? 1,
        recognitionMethod: 'manual',
      },
    });
    await relabelDay(tx, input.employeeId, localDate, labelRules(config));
    return auditedResult(tx, created.id, input.actor, 'attendance.add', undefined, reason);
  }, TX_OPTIONS);
}

/** The log as the correction left it (labels recomputed), with its audit row; `before` is absent for an added log. */
async function auditedResult(
  tx: Prisma.TransactionClient,
  logId: number,
  actor: string,
  action: 'attendance.add' | 'attendance.edit' | 'attendance.void',
  before: AttendanceLogRecord | undefined,
  reason: string,
): Promise<AttendanceLogRecord> {
  const after = await tx.attendanceLog.findUniqueOrThrow({ where: { id: logId } });
  await writeAuditAs(tx, actor, {
    action,
    entityType: AUDIT_ENTITY,
    entityId: logId,
    ...(before === undefined ? {} : { before: auditSnapshot(before) }),
    after: auditSnapshot(after),
    reason,
  });
  return after;
}

/** Reads the log, then locks its employee; the log is re-read under the lock. */
async function lockLog(tx: Prisma.TransactionClient, logId: number): Promise<AttendanceLogRecord> {
  const peek = await tx.attendanceLog.findUnique({ where: { id: logId }, select: { employeeId: true } });
  if (!peek) {
    throw new NotFoundError('Attendance log', logId);
  }
  await lockEmployee(tx, peek.employeeId);
  const log = await tx.attendanceLog.findUnique({ where: { id: logId } });
  if (!log) {
    throw new NotFoundError('Attendance log', logId);
  }
  if (log.voidedAt) {
    throw new ConflictError(`Attendance log ${logId} is voided`);
  }
  return log;
}

export async function editLog(prisma: PrismaClient, config: AttendanceConfig, input: EditLogInput): Promise<AttendanceLogRecord> {
  const reason = cleanReason(input.reason);
  return prisma.$transaction(async (tx) => {
    const before = await lockLog(tx, input.logId);
    await assertCamera(tx, input.cameraId);
    const at = input.at ?? before.checkInTime;
    const localDate = localDateOf(at, config.TIMEZONE);
    await tx.attendanceLog.update({
      where: { id: before.id },
      data: {
        checkInTime: at,
        localDate,
        ...(input.cameraId !== undefined && { cameraId: input.cameraId }),
      },
    });
    const rules = labelRules(config);
    await relabelDay(tx, before.employeeId, localDate, rules);
    if (localDate !== before.localDate) {
      await relabelDay(tx, before.employeeId, before.localDate, rules);
    }
    return auditedResult(tx, before.id, input.actor, 'attendance.edit', before, reason);
  }, TX_OPTIONS);
}

export async function voidLog(
  prisma: PrismaClient,
  config: AttendanceConfig,
  now: Date,
  input: VoidLogInput,
): Promise<AttendanceLogRecord> {
  const reason = cleanReason(input.reason);
  return prisma.$transaction(async (tx) => {
    const before = await lockLog(tx, input.logId);
    await tx.attendanceLog.update({
      where: { id: before.id },
      data: { voidedAt: now, voidReason: reason.slice(0, 255) },
    });
    // The next log of the day may now be the check-in.
    await relabelDay(tx, before.employeeId, before.localDate, labelRules(config));
    return auditedResult(tx, before.id, input.actor, 'attendance.void', before, reason);
  }, TX_OPTIONS);
}
