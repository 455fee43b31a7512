// Applies day-labels.ts to the database: recomputes check_in / check_out /
// seen for one employee's local day. Call it inside the transaction that holds
// the employee's row lock, after any insert, edit or void on that day.
import type { Prisma } from '../generated/prisma/client.js';
import { labelChanges, type LabelRules } from './day-labels.js';
import type { AttendanceEventType } from './types.js';

export async function relabelDay(
  tx: Prisma.TransactionClient,
  employeeId: number,
  localDate: string,
  rules: LabelRules,
): Promise<void> {
  const logs = await tx.attendanceLog.findMany({
    where: { employeeId, localDate, voidedAt: null },
    select: { id: true, checkInTime: true, eventType: true },
  });
  const changes = labelChanges(logs, rules);
  const byType = new Map<AttendanceEventType, number[]>();
  for (const c of changes) {
    byType.set(c.eventType, [...(byType.get(c.eventType) ?? []), c.id]);
  }
  for (const [eventType, ids] of byType) {
    await tx.attendanceLog.updateMany({ where: { id: { in: ids } }, data: { eventType } });
  }
}

/** Takes the per-employee lock that serializes attendance writes across server instances. */
export async function lockEmployee(
  tx: Prisma.TransactionClient,
  employeeId: number,
): Promise<{ id: number; erased: boolean } | undefined> {
  const rows = await tx.$queryRaw<Array<{ id: number; erasedAt: Date | null }>>`
    SELECT id, erasedAt FROM Employee WHERE id = ${employeeId} FOR UPDATE`;
  const row = rows[0];
  return row ? { id: Number(row.id), erased: row.erasedAt !== null } : undefined;
}
