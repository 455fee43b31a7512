// Per-request DataLoaders: a list of N employees with their related data costs
// one query per relation, not N. Created fresh for every request (and every
// subscription event batch) so nothing is cached across callers.
import DataLoader from 'dataloader';
import type { PrismaClient } from './generated/prisma/client.js';
import type { AttendanceLog, Employee } from './generated/prisma/client.js';

export interface Loaders {
  employeeById: DataLoader<number, Employee | null>;
  templateCountByEmployee: DataLoader<number, number>;
  /** The employee's most recent non-voided attendance log. */
  latestAttendanceByEmployee: DataLoader<number, AttendanceLog | null>;
}

export function createLoaders(prisma: PrismaClient): Loaders {
  return {
    employeeById: new DataLoader(async (ids) => {
      const rows = await prisma.employee.findMany({ where: { id: { in: [...ids] } } });
      const byId = new Map(rows.map((r) => [r.id, r]));
      return ids.map((id) => byId.get(id) ?? null);
    }),
    templateCountByEmployee: new DataLoader(async (ids) => {
      const groups = await prisma.faceTemplate.groupBy({
        by: ['employeeId'],
        where: { employeeId: { in: [...ids] } },
        _count: { _all: true },
      });
      const counts = new Map(groups.map((g) => [g.employeeId, g._count._all]));
      return ids.map((id) => counts.get(id) ?? 0);
    }),
    latestAttendanceByEmployee: new DataLoader(async (ids) => {
      // Two queries for any N: the newest check-in time per employee, then those rows.
      const latest = await prisma.attendanceLog.groupBy({
        by: ['employeeId'],
        where: { employeeId: { in: [...ids] }, voidedAt: null },
        _max: { checkInTime: true },
      });
      const pairs = latest.flatMap((g) =>
        g._max.checkInTime === null ? [] : [{ employeeId: g.employeeId, checkInTime: g._max.checkInTime }],
      );
      const rows =
        pairs.length === 0
          ? []
          : await prisma.attendanceLog.findMany({ where: { OR: pairs, voidedAt: null }, orderBy: { id: 'asc' } });
      // Ascending ids: on a tie in time the last inserted row wins.
      const byEmployee = new Map(rows.map((r) => [r.employeeId, r]));
      return ids.map((id) => byEmployee.get(id) ?? null);
    }),
  };
}

/** Forgets every cached row; subscriptions call it per event because their context outlives one request. */
export function clearLoaders(loaders: Loaders): void {
  for (const loader of Object.values(loaders) as DataLoader<unknown, unknown>[]) {
    loader.clearAll();
  }
}
