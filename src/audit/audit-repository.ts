// Audit rows: who changed what, with before/after snapshots. Written in the same
// transaction as the change it describes, so there is never one without the other.
import type { Prisma } from '../generated/prisma/client.js';
import type { Caller } from '../auth/caller.js';
import { actorOf } from '../auth/caller.js';

/** A transaction client or the PrismaClient itself: both have `auditLog`. */
export interface AuditWriter {
  auditLog: { create(args: { data: Prisma.AuditLogCreateInput }): Promise<unknown> };
}

export interface AuditEntry {
  action: string;
  entityType: string;
  entityId: string | number;
  before?: unknown;
  after?: unknown;
  reason?: string | null;
}

/** Audit rows written on their own (not inside another change's transaction). */
export interface AuditLog {
  write(caller: Caller | null, entry: AuditEntry): Promise<void>;
}

export function createAuditLog(db: AuditWriter): AuditLog {
  return { write: (caller, entry) => writeAudit(db, caller, entry) };
}

export async function writeAudit(db: AuditWriter, caller: Caller | null, entry: AuditEntry): Promise<void> {
  await writeAuditAs(db, actorOf(caller), entry);
}

/** The same, for services that receive the actor already named (e.g. attendance corrections). */
export async function writeAuditAs(db: AuditWriter, actor: string, entry: AuditEntry): Promise<void> {
  await db.auditLog.create({
    data: {
      actor,
      action: entry.action,
      entityType: entry.entityType,
      entityId: String(entry.entityId),
      before: toJson(entry.before),
      after: toJson(entry.after),
      reason: entry.reason ?? null,
    },
  });
}

// Dates become ISO strings and undefined disappears; `undefined` in means SQL NULL.
function toJson(value: unknown): Prisma.InputJsonValue | undefined {
  if (value === undefined || value === null) {
    return undefined;
  }
  return JSON.parse(JSON.stringify(value)) as Prisma.InputJsonValue;
}
