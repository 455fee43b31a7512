// Right to erasure as the APIs run it. The employee service's transaction
// clears the row's personal fields, the templates, earlier audit before/after
// and known snapshot paths; this then removes every other trace of the face:
//   - snapshot files of every log of theirs, a half-written one included (a
//     snapshot written after this point deletes itself: see the attendance
//     service's write);
//   - queued outbox and dead-letter entries (they carry snapshot bytes);
//   - classifier models trained with them (deleted; a retrain without them is
//     scheduled; a training already running is awaited and checked too);
//   - stored Idempotency-Key answers naming them;
//   - live enrollment sessions of theirs (frames and embeddings in memory);
//   - their entries in the recent recognitions (Redis with several instances).
// The audit entry of the erasure stays. Idempotent: erasing again cleans again.
import type { Logger } from 'pino';
import type { Config } from '../config.js';
import type { Employee } from '../generated/prisma/client.js';
import type { AttendanceRepository } from '../attendance/attendance-repository.js';
import type { SessionRepository } from '../enrollment/session-repository.js';
import type { Caller } from '../auth/caller.js';
import { ValidationError } from '../domain/errors.js';
import { deleteSnapshot, snapshotRelativePath } from '../attendance/snapshots.js';
import type { ClassifierModelRepository } from '../recognition/classifier-model-repository.js';
import type { IdempotencyStore } from '../idempotency/idempotency-store.js';
import { employeeId as toEmployeeId } from '../domain/ids.js';
import type { RecentRecognitionLog } from '../live/recent-recognitions.js';
import type { AttendanceService } from './attendance-service.js';
import type { EmployeeService } from './employee-service.js';
import type { EnrollmentService } from './enrollment-service.js';
import type { TrainingService } from './training-service.js';

/** AuditLog.reason is VARCHAR(512): a longer reason is refused before anything is erased. */
export const MAX_ERASE_REASON = 512;

export interface TraceReport {
  snapshotFiles: number;
  outboxEntries: number;
  classifierModels: number;
  idempotencyRecords: number;
  enrollmentSessions: number;
}

export interface ErasureServiceDeps {
  sessions: Pick<SessionRepository, 'activeIdsOf' | 'cancelActiveOf'>;
  logs: Pick<AttendanceRepository, 'snapshotsOf'>;
  config: Pick<Config, 'DATA_DIR'>;
  log: Logger;
  employees: Pick<EmployeeService, 'erase'>;
  attendance: Pick<AttendanceService, 'outbox'>;
  enrollment: Pick<EnrollmentService, 'cancel'>;
  training: Pick<TrainingService, 'running' | 'train' | 'scheduleAutoRetrain'>;
  classifierModels: Pick<ClassifierModelRepository, 'deleteHolding'>;
  idempotency: Pick<IdempotencyStore, 'forgetSubject'>;
  recent: Pick<RecentRecognitionLog, 'forgetEmployee'>;
}

export interface ErasureService {
  erase(caller: Caller | null, id: number, reason?: string | null): Promise<Employee>;
}

export function createErasureService(deps: ErasureServiceDeps): ErasureService {
  const eraseTraces = async (employeeId: number): Promise<TraceReport> => {
    const log = deps.log.child({ employeeId });
    const report: TraceReport = { snapshotFiles: 0, outboxEntries: 0, classifierModels: 0, idempotencyRecords: 0, enrollmentSessions: 0 };

    // Sessions re-enrolling this person: cancelled, their frames dropped from memory.
    for (const id of await deps.sessions.activeIdsOf(employeeId)) {
      try {
        await deps.enrollment.cancel(null, id);
        report.enrollmentSessions += 1;
      } catch (error) {
        log.warn({ err: error, sessionId: id }, 'erasure: enrollment session not cancelled');
      }
    }
    await deps.sessions.cancelActiveOf(employeeId, 'employee erased');

    report.outboxEntries = await deps.attendance.outbox.forgetEmployee(employeeId);

    // Every file a log of theirs may have, whatever its row says now (the rows stay, anonymous).
    const logs = await deps.logs.snapshotsOf(employeeId);
    const paths = new Set<string>();
    for (const l of logs) {
      paths.add(snapshotRelativePath(l.localDate, l.eventId));
      if (l.snapshotPath !== null) {
        paths.add(l.snapshotPath);
      }
    }
    for (const p of paths) {
      try {
        await deleteSnapshot(deps.config.DATA_DIR, p);
        report.snapshotFiles += 1;
      } catch (error) {
        log.error({ err: error, snapshotPath: p }, 'erasure: could not delete a snapshot');
      }
    }

    report.classifierModels = await deps.classifierModels.deleteHolding(employeeId);
    if (deps.training.running) {
      // It may have read the templates before the erasure: its model is checked too.
      await deps.training.train().catch(() => undefined);
      report.classifierModels += await deps.classifierModels.deleteHolding(employeeId);
    }
    if (report.classifierModels > 0) {
      // Recognition falls back to cosine until a model without them is trained (AUTO_RETRAIN).
      deps.training.scheduleAutoRetrain();
    }
    report.idempotencyRecords = await deps.idempotency.forgetSubject(employeeId);
    await deps.recent
      .forgetEmployee(toEmployeeId(employeeId))
      .catch((error: unknown) => log.error({ err: error }, 'erasure: recent recognitions not cleared (they lapse as newer ones arrive)'));
    log.info(report, 'erasure: traces removed');
    return report;
  };

  return {
    async erase(caller, id, reason) {
      const trimmed = reason?.trim() ?? '';
      if (trimmed.length > MAX_ERASE_REASON) {
        throw new ValidationError([{ path: ['reason'], message: `must be at most ${MAX_ERASE_REASON} characters` }]);
      }
      const employee = await deps.employees.erase(caller, id, trimmed === '' ? null : trimmed);
      await eraseTraces(id);
      return employee;
    },
  };
}
