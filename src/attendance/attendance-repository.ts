// The attendance rows on one client, for the attendance and erasure services:
// the recording, queries, statistics, CSV export, corrections and audit trail of
// this folder (each a function of the client, tested as such), and the
// bookkeeping of the rows' snapshot files.
import type { PrismaClient } from '../generated/prisma/client.js';
import { attendanceAuditTrail, type AttendanceAuditEntry } from './audit-trail.js';
import { addLog, editLog, voidLog, type AddLogInput, type EditLogInput, type VoidLogInput } from './corrections.js';
import type { LocalDate } from './local-time.js';
import { attendanceStats, checkInStatus, exportCsv, listLogs, type CheckInStatus, type LogFilter, type LogPage, type Page } from './queries.js';
import { writeRecognition, type WriteEvent, type WriteResult } from './record-log.js';
import type { AttendanceStats } from './stats.js';
import type { AttendanceConfig, AttendanceLogRecord } from './types.js';

export interface AttendanceRepository {
  /** Logs one recognition (idempotent, deduplicated, serialized per employee). */
  write(now: Date, event: WriteEvent): Promise<WriteResult>;
  list(filter: LogFilter, page: Page): Promise<LogPage>;
  checkInStatus(employeeId: number, today: LocalDate): Promise<CheckInStatus>;
  stats(range: { today: LocalDate; from: LocalDate; to: LocalDate }): Promise<AttendanceStats>;
  exportCsv(filter: LogFilter & { from: LocalDate; to: LocalDate }): Promise<string>;
  add(input: AddLogInput): Promise<AttendanceLogRecord>;
  edit(input: EditLogInput): Promise<AttendanceLogRecord>;
  void(now: Date, input: VoidLogInput): Promise<AttendanceLogRecord>;
  auditTrail(options?: { logId?: number; skip?: number; take?: number }): Promise<{ items: AttendanceAuditEntry[]; totalCount: number }>;
  /** The log's snapshot path now: null when cleared, undefined when the log is gone. */
  snapshotPathOf(logId: number): Promise<string | null | undefined>;
  /** Clears the log's snapshot path and expiry; the log as it then is. */
  clearSnapshot(logId: number): Promise<AttendanceLogRecord>;
  /** Up to `take` logs whose snapshot expired by `now`. */
  expiredSnapshots(now: Date, take: number): Promise<{ id: number; snapshotPath: string | null }[]>;
  clearSnapshots(logIds: readonly number[]): Promise<void>;
  /** Every log of the employee's, with what names its snapshot file. */
  snapshotsOf(employeeId: number): Promise<{ eventId: string; localDate: string; snapshotPath: string | null }[]>;
}

export function createAttendanceRepository(prisma: PrismaClient, config: AttendanceConfig): AttendanceRepository {
  return {
    write: (now, event) => writeRecognition(prisma, config, now, event),
    list: (filter, page) => listLogs(prisma, filter, page),
    checkInStatus: (employeeId, today) => checkInStatus(prisma, employeeId, today),
    stats: (range) => attendanceStats(prisma, config, range),
    exportCsv: (filter) => exportCsv(prisma, config, filter),
    add: (input) => addLog(prisma, config, input),
    edit: (input) => editLog(prisma, config, input),
    void: (now, input) => voidLog(prisma, config, now, input),
    auditTrail: (options) => attendanceAuditTrail(prisma, options),

    async snapshotPathOf(logId) {
      const row = await prisma.attendanceLog.findUnique({ where: { id: logId }, select: { snapshotPath: true } });
      return row === null ? undefined : row.snapshotPath;
    },
    clearSnapshot: (logId) => prisma.attendanceLog.update({ where: { id: logId }, data: { snapshotPath: null, snapshotExpiresAt: null } }),
    expiredSnapshots: (now, take) =>
      prisma.attendanceLog.findMany({
        where: { snapshotPath: { not: null }, snapshotExpiresAt: { lte: now } },
        select: { id: true, snapshotPath: true },
        take,
      }),
    async clearSnapshots(logIds) {
      await prisma.attendanceLog.updateMany({ where: { id: { in: [...logIds] } }, data: { snapshotPath: null, snapshotExpiresAt: null } });
    },
    snapshotsOf: (employeeId) =>
      prisma.attendanceLog.findMany({ where: { employeeId }, select: { eventId: true, localDate: true, snapshotPath: true } }),
  };
}
