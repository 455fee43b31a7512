// Operator approval of kiosk-started enrollments (ENROLLMENT_APPROVAL): such an
// employee is stored with awaitingApproval and is not recognized (the gallery
// loads approved people only) until an operator or admin approves here. A
// wrong enrollment is rejected by deactivating or erasing the employee.
import type { Logger } from 'pino';
import type { Employee } from '../generated/prisma/client.js';
import type { Caller } from '../auth/caller.js';
import type { EmployeeRepository } from '../employees/employee-repository.js';
import type { EventPublisher } from '../events/event-bus.js';
import type { RecognitionModels } from './recognition-models.js';
import type { TrainingService } from './training-service.js';

export interface ApprovalServiceDeps {
  employees: Pick<EmployeeRepository, 'approve'>;
  clock: () => Date;
  events: EventPublisher;
  log: Logger;
  models: Pick<RecognitionModels, 'refreshEmployee'>;
  training: Pick<TrainingService, 'scheduleAutoRetrain'>;
}

export interface ApprovalService {
  /** Makes an employee enrolled at a kiosk recognizable; idempotent. */
  approve(caller: Caller | null, employeeId: number): Promise<Employee>;
}

export function createApprovalService(deps: ApprovalServiceDeps): ApprovalService {
  return {
    async approve(caller, id) {
      const { employee, changed } = await deps.employees.approve(caller, id);
      if (changed) {
        // Every instance refreshes this employee's templates (employeeChanged), this one at once.
        deps.events.publish('employeeChanged', { kind: 'updated', employeeId: id, at: deps.clock().toISOString() });
        await deps.models
          .refreshEmployee(id)
          .catch((error: unknown) => deps.log.error({ err: error, employeeId: id }, 'gallery refresh after approval failed'));
        deps.training.scheduleAutoRetrain();
      }
      return employee;
    },
  };
}
