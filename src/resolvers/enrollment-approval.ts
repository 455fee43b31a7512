// Operator approval of kiosk-started enrollments (ENROLLMENT_APPROVAL): such an
// employee is stored with awaitingApproval and is not recognized (the gallery
// loads approved people only) until an operator or admin approves here. A
// wrong enrollment is rejected by deactivating or erasing the employee.
import type { Employee } from '../generated/prisma/client.js';
import type { AppDeps } from '../context.js';
import type { Caller } from '../auth/caller.js';
import { ConflictError, EmployeeNotFoundError } from '../domain/errors.js';
import { writeAudit } from './audit.js';
import { recognitionModelsFor } from './recognition-models.js';
import { trainingServiceFor } from './training.js';

export async function approveEnrollment(deps: AppDeps, caller: Caller | null, id: number): Promise<Employee> {
  const { employee, changed } = await deps.prisma.$transaction(async (tx) => {
    const before = await tx.employee.findUnique({ where: { id } });
    if (before === null) {
      throw new EmployeeNotFoundError(id);
    }
    if (before.erasedAt !== null) {
      throw new ConflictError(`Employee ${id} was erased and cannot be approved`);
    }
    if (!before.awaitingApproval) {
      return { employee: before, changed: false };
    }
    const after = await tx.employee.update({ where: { id }, data: { awaitingApproval: false } });
    await writeAudit(tx, caller, { action: 'enrollment.approve', entityType: 'employee', entityId: id, before: { awaitingApproval: true }, after: { awaitingApproval: false } });
    return { employee: after, changed: true };
  });
  if (changed) {
    // Every instance refreshes this employee's templates (employeeChanged), this one at once.
    deps.events.publish('employeeChanged', { kind: 'updated', employeeId: id, at: deps.clock().toISOString() });
    await recognitionModelsFor(deps)
      .refreshEmployee(id)
      .catch((error: unknown) => deps.log.error({ err: error, employeeId: id }, 'gallery refresh after approval failed'));
    trainingServiceFor(deps).scheduleAutoRetrain();
  }
  return employee;
}
