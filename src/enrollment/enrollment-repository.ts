// What a finished enrollment writes, each in one transaction with its audit row:
// a completed live session (the employee if new, the templates, the session's
// end) or an enrollment from photos (the templates). An abandoned or refused
// enrollment writes nothing here.
import type { Employee, PrismaClient } from '../generated/prisma/client.js';
import type { Caller } from '../auth/caller.js';
import { writeAudit } from '../audit/audit-repository.js';
import type { TemplateCipher } from '../crypto/template-cipher.js';
import { isUniqueViolation } from '../db/prisma-errors.js';
import { DuplicateEmployeeCodeError, EmployeeNotFoundError } from '../domain/errors.js';
import { replaceTemplatesInTx, type NewTemplate } from '../recognition/template-repository.js';
import { EnrollmentSessionClosedError } from './enrollment-errors.js';
import type { SessionCompletion, SessionRepository } from './session-repository.js';
import type { PendingEmployee } from './session-store.js';

export interface SessionToStore {
  sessionId: string;
  /** A new employee (kiosk enrollments may wait for approval), or an existing one re-enrolled. */
  employee: { pending: PendingEmployee; awaitingApproval: boolean } | { id: number };
  modelId: string;
  templates: readonly NewTemplate[];
  completion: Omit<SessionCompletion, 'employeeId'>;
  /** The audit row's `after`. */
  audit: Record<string, unknown>;
}

export interface EnrollmentRepository {
  /**
   * The new employee created (a taken code: DuplicateEmployeeCodeError) or the existing one
   * found (gone or erased: EmployeeNotFoundError), its templates of the model pack replaced,
   * the session marked completed (ended meanwhile: EnrollmentSessionClosedError), audited.
   */
  storeSession(caller: Caller | null, session: SessionToStore): Promise<{ employee: Employee; created: boolean }>;
  /** The employee's templates of the model pack replaced (gone or erased: EmployeeNotFoundError), audited. */
  storePhotos(caller: Caller | null, employeeId: number, modelId: string, templates: readonly NewTemplate[], audit: Record<string, unknown>): Promise<Employee>;
}

export function createEnrollmentRepository(prisma: PrismaClient, cipher: TemplateCipher, sessions: Pick<SessionRepository, 'completeInTx'>): EnrollmentRepository {
  return {
    storeSession: (caller, s) =>
      prisma
        .$transaction(async (tx) => {
          let employee: Employee;
          let created = false;
          if ('pending' in s.employee) {
            employee = await tx.employee.create({ data: { ...s.employee.pending, awaitingApproval: s.employee.awaitingApproval } });
            created = true;
          } else {
            const found = await tx.employee.findUnique({ where: { id: s.employee.id } });
            if (found === null || found.erasedAt !== null) {
              throw new EmployeeNotFoundError(s.employee.id);
            }
            employee = found;
          }
          await replaceTemplatesInTx(tx, cipher, employee.id, s.modelId, s.templates);
          const completed = await sessions.completeInTx(tx, s.sessionId, { employeeId: employee.id, ...s.completion });
          if (!completed) {
            throw new EnrollmentSessionClosedError(s.sessionId, 'expired', `Enrollment session ${s.sessionId} ended before it could complete`);
          }
          await writeAudit(tx, caller, {
            action: created ? 'enrollment.create' : 'enrollment.reenroll',
            entityType: 'employee',
            entityId: employee.id,
            after: s.audit,
          });
          return { employee, created };
        })
        .catch((error: unknown) => {
          throw isUniqueViolation(error) && 'pending' in s.employee ? new DuplicateEmployeeCodeError(s.employee.pending.employeeCode) : error;
        }),

    storePhotos: (caller, employeeId, modelId, templates, audit) =>
      prisma.$transaction(async (tx) => {
        const found = await tx.employee.findUnique({ where: { id: employeeId } });
        if (found === null || found.erasedAt !== null) {
          throw new EmployeeNotFoundError(employeeId);
        }
        await replaceTemplatesInTx(tx, cipher, employeeId, modelId, templates);
        await writeAudit(tx, caller, { action: 'enrollment.photos', entityType: 'employee', entityId: employeeId, after: audit });
        return found;
      }),
  };
}
