// Read side of attendance: filtered log lists, check-in status, statistics and
// CSV export. Voided logs are hidden unless asked for, and never counted.
import type { Prisma, PrismaClient } from '../generated/prisma/client.js';
import { logsToCsv } from './csv-export.js';
import { ValidationError } from '../domain/errors.js';
import { addDays, isLocalDate, type LocalDate } from './local-time.js';
import { computeStats, type AttendanceStats } from './stats.js';
import type { AttendanceConfig, AttendanceEventType, AttendanceLogRecord, RecognitionMethodName } from './types.js';

export type LogFilter = {
  employeeId?: number | undefined;
  cameraId?: number | undefined;
  method?: RecognitionMethodName | undefined;
  eventType?: AttendanceEventType | undefined;
  /** Local dates, inclusive. */
  from?: LocalDate | undefined;
  to?: LocalDate | undefined;
  includeVoided?: boolean | undefined;
};

export type Page = { skip?: number | undefined; limit?: number | undefined };

export type LogPage = { items: AttendanceLogRecord[]; total: number; skip: number; limit: number };

export const DEFAULT_PAGE_SIZE = 50;
export const MAX_PAGE_SIZE = 500;
/** Longest range stats and exports accept, to bound one query. */
export const MAX_RANGE_DAYS = 366;

export function checkDate(name: string, value: string | undefined): void {
  if (value !== undefined && !isLocalDate(value)) {
    throw new ValidationError([{ path: [name], message: `must be a YYYY-MM-DD date, got "${value}"` }]);
  }
}

export function checkRange(from: LocalDate, to: LocalDate): void {
  checkDate('from', from);
  checkDate('to', to);
  if (to < from) {
    throw new ValidationError([{ path: ['to'], message: `${to} is before from (${from})` }]);
  }
  if (addDays(from, MAX_RANGE_DAYS - 1) < to) {
    throw new ValidationError([{ path: ['to'], message: `a range may span at most ${MAX_RANGE_DAYS} days` }]);
  }
}

export function logWhere(filter: LogFilter): Prisma.AttendanceLogWhereInput {
  checkDate('from', filter.from);
  checkDate('to', filter.to);
  const localDate: Prisma.StringFilter = {};
  if (filter.from !== undefined) {
    localDate.gte = filter.from;
  }
  if (filter.to !== undefined) {
    localDate.lte = filter.to;
  }
  return {
    ...(filter.employeeId !== undefined && { employeeId: filter.employeeId }),
    ...(filter.cameraId !== undefined && { cameraId: filter.cameraId }),
    ...(filter.method !== undefined && { recognitionMethod: filter.method }),
    ...(filter.eventType !== undefined && { eventType: filter.eventType }),
    ...((filter.from !== undefined || filter.to !== undefined) && { localDate }),
    ...(!filter.includeVoided && { voidedAt: null }),
  };
}

/** Newest first. */
export async function listLogs(prisma: PrismaClient, filter: LogFilter, page: Page = {}): Promise<LogPage> {
  const skip = Math.max(0, Math.trunc(page.skip ?? 0));
  const limit = Math.min(MAX_PAGE_SIZE, Math.max(1, Math.trunc(page.limit ?? DEFAULT_PAGE_SIZE)));
  const where = logWhere(filter);
  const [items, total] = await Promise.all([
    prisma.attendanceLog.findMany({ where, orderBy: [{ checkInTime: 'desc' }, { id: 'desc' }], skip, take: limit }),
    prisma.attendanceLog.count({ where }),
  ]);
  return { items, total, skip, limit };
}

export type CheckInStatus = {
  employeeId: number;
  date: LocalDate;
  checkedIn: boolean;
  /** First non-voided log of the day. */
  checkInTime: Date | null;
  /** The day's check_out, when checkout tracking is on and one qualified. */
  checkOutTime: Date | null;
  lastSeenTime: Date | null;
  logCount: number;
};

export async function checkInStatus(prisma: PrismaClient, employeeId: number, today: LocalDate): Promise<CheckInStatus> {
  const logs = await prisma.attendanceLog.findMany({
    where: { employeeId, localDate: today, voidedAt: null },
    orderBy: [{ checkInTime: 'asc' }, { id: 'asc' }],
    select: { checkInTime: true, eventType: true },
  });
  return {
    employeeId,
    date: today,
    checkedIn: logs.length > 0,
    checkInTime: logs[0]?.checkInTime ?? null,
    checkOutTime: logs.find((l) => l.eventType === 'check_out')?.checkInTime ?? null,
    lastSeenTime: logs.at(-1)?.checkInTime ?? null,
    logCount: logs.length,
  };
}

export async function attendanceStats(
  prisma: PrismaClient,
  config: AttendanceConfig,
  range: { today: LocalDate; from: LocalDate; to: LocalDate },
): Promise<AttendanceStats> {
  checkRange(range.from, range.to);
  const [totalEmployees, logs] = await Promise.all([
    prisma.employee.count({ where: { isActive: true, erasedAt: null } }),
    prisma.attendanceLog.findMany({
      where: {
        voidedAt: null,
        OR: [{ localDate: { gte: range.from, lte: range.to } }, { localDate: range.today }],
      },
      select: { employeeId: true, localDate: true, checkInTime: true, confidenceScore: true },
    }),
  ]);
  return computeStats({
    ...range,
    totalEmployees,
    logs,
    timeZone: config.TIMEZONE,
    shiftStart: config.SHIFT_START,
    lateGraceMinutes: config.LATE_GRACE_MINUTES,
  });
}

/** CSV of the range's logs, oldest first (one query: employee and camera joined). */
export async function exportCsv(
  prisma: PrismaClient,
  config: AttendanceConfig,
  filter: LogFilter & { from: LocalDate; to: LocalDate },
): Promise<string> {
  checkRange(filter.from, filter.to);
  const logs = await prisma.attendanceLog.findMany({
    where: logWhere(filter),
    orderBy: [{ checkInTime: 'asc' }, { id: 'asc' }],
    include: {
      employee: { select: { employeeCode: true, fullName: true } },
      camera: { select: { name: true } },
    },
  });
  return logsToCsv(
    logs.map((l) => ({
      id: l.id,
      employeeCode: l.employee.employeeCode,
      employeeName: l.employee.fullName,
      eventType: l.eventType,
      checkInTime: l.checkInTime,
      localDate: l.localDate,
      confidenceScore: l.confidenceScore,
      recognitionMethod: l.recognitionMethod,
      cameraName: l.camera?.name ?? null,
      voided: l.voidedAt !== null,
    })),
    config.TIMEZONE,
  );
}
