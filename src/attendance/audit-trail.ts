// Reading the attendance corrections' audit trail (written by corrections.ts in
// the same transaction as each change): who changed which log, when, why, and
// the row before and after. Newest first.
import type { PrismaClient } from '../generated/prisma/client.js';
import { AUDIT_ENTITY } from './corrections.js';

export interface AttendanceAuditEntry {
  id: number;
  logId: number;
  actor: string;
  action: string;
  reason: string | null;
  before: unknown;
  after: unknown;
  at: Date;
}

export async function attendanceAuditTrail(
  prisma: PrismaClient,
  options: { logId?: number; skip?: number; take?: number } = {},
): Promise<{ items: AttendanceAuditEntry[]; totalCount: number }> {
  const where = { entityType: AUDIT_ENTITY, ...(options.logId === undefined ? {} : { entityId: String(options.logId) }) };
  const [rows, totalCount] = await Promise.all([
    prisma.auditLog.findMany({ where, orderBy: [{ createdAt: 'desc' }, { id: 'desc' }], skip: options.skip ?? 0, take: options.take ?? 50 }),
    prisma.auditLog.count({ where }),
  ]);
  return {
    totalCount,
    items: rows.map((r) => ({
      id: r.id,
      logId: Number(r.entityId),
      actor: r.actor,
      action: r.action,
      reason: r.reason,
      before: r.before,
      after: r.after,
      at: r.createdAt,
    })),
  };
}
