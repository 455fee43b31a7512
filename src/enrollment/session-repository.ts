// The database half of enrollment sessions: the EnrollmentSession row holds
// status, expiry, the pending employee and, once ended, the frame count and
// coverage. Every status change is conditional on the row still being
// 'active', so two instances (or a sweep and a completion) never both end it.
import type { EnrollmentSession, Prisma, PrismaClient } from '../generated/prisma/client.js';
import type { EmployeeId } from '../domain/ids.js';
import type { CoverageSummary } from './coverage.js';
import type { EnrollmentSessionStatus } from './events.js';
import type { PendingEmployee } from './session-store.js';

export interface NewSessionRow {
  id: string;
  employeeId: EmployeeId | null;
  /** The API key that started it: kiosks may only use their own sessions, checked from this row. */
  startedByKeyId: number | null;
  pendingEmployee: PendingEmployee | null;
  createdAt: Date;
  expiresAt: Date;
}

export interface SessionEnd {
  status: Exclude<EnrollmentSessionStatus, 'active' | 'completed'>;
  failureReason: string | null;
  frameCount: number;
  coverage: CoverageSummary;
}

export interface SessionCompletion {
  employeeId: number;
  completedAt: Date;
  frameCount: number;
  coverage: CoverageSummary;
}

export interface SessionRepository {
  create(row: NewSessionRow): Promise<EnrollmentSession>;
  find(id: string): Promise<EnrollmentSession | null>;
  /** Ends an active session; false when it had already ended. */
  end(id: string, end: SessionEnd): Promise<boolean>;
  /** Marks the session completed inside the caller's transaction; false when it had already ended. */
  completeInTx(tx: Prisma.TransactionClient, id: string, completion: SessionCompletion): Promise<boolean>;
  /** Sessions a previous run left active (their memory is gone): expired; returns how many. */
  expireLeftActive(startedBefore: Date): Promise<number>;
  /** Active sessions past their expiry that no live session of this process holds: expired. */
  expireOverdue(now: Date, heldHere: readonly string[]): Promise<number>;
  /** Ids of the employee's active sessions (re-enrollments). */
  activeIdsOf(employeeId: number): Promise<string[]>;
  /** Cancels every active session of the employee, giving `reason`. */
  cancelActiveOf(employeeId: number, reason: string): Promise<void>;
}

const json = (value: unknown): Prisma.InputJsonValue => value as Prisma.InputJsonValue;

export function createSessionRepository(prisma: PrismaClient): SessionRepository {
  return {
    activeIdsOf: async (employeeId) =>
      (await prisma.enrollmentSession.findMany({ where: { employeeId, status: 'active' }, select: { id: true } })).map((s) => s.id),
    async cancelActiveOf(employeeId, reason) {
      await prisma.enrollmentSession.updateMany({ where: { employeeId, status: 'active' }, data: { status: 'cancelled', failureReason: reason } });
    },
    create: (row) =>
      prisma.enrollmentSession.create({
        data: {
          id: row.id,
          employeeId: row.employeeId,
          pendingEmployee: row.pendingEmployee === null ? undefined : json(row.pendingEmployee),
          startedByKeyId: row.startedByKeyId,
          status: 'active',
          expiresAt: row.expiresAt,
          createdAt: row.createdAt,
        },
      }),

    find: (id) => prisma.enrollmentSession.findUnique({ where: { id } }),

    async end(id, end) {
      const { count } = await prisma.enrollmentSession.updateMany({
        where: { id, status: 'active' },
        data: {
          status: end.status,
          failureReason: end.failureReason?.slice(0, 255) ?? null,
          frameCount: end.frameCount,
          coverage: json(end.coverage),
        },
      });
      return count > 0;
    },

    async completeInTx(tx, id, completion) {
      const { count } = await tx.enrollmentSession.updateMany({
        where: { id, status: 'active' },
        data: {
          status: 'completed',
          employeeId: completion.employeeId,
          completedAt: completion.completedAt,
          frameCount: completion.frameCount,
          coverage: json(completion.coverage),
        },
      });
      return count > 0;
    },

    async expireLeftActive(startedBefore) {
      const { count } = await prisma.enrollmentSession.updateMany({
        where: { status: 'active', createdAt: { lt: startedBefore } },
        data: { status: 'expired', failureReason: 'server restarted' },
      });
      return count;
    },

    async expireOverdue(now, heldHere) {
      const { count } = await prisma.enrollmentSession.updateMany({
        where: { status: 'active', expiresAt: { lte: now }, id: { notIn: [...heldHere] } },
        data: { status: 'expired', failureReason: 'session expired' },
      });
      return count;
    },
  };
}
