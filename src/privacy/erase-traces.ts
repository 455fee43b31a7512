// Right to erasure, beyond the employee row (src/resolvers/employees.ts clears
// templates, personal fields, audit before/after and known snapshot paths in
// one transaction). This removes every other trace of the person's face:
//   - snapshot files of every log of theirs, a half-written one included
//     (a snapshot written after this point deletes itself: see the attendance
//     service's write);
//   - queued outbox and dead-letter entries (they carry snapshot bytes);
//   - classifier models whose support vectors hold their embeddings (deleted,
//     and a retrain without them scheduled);
//   - stored Idempotency-Key answers naming them;
//   - live enrollment sessions of theirs (frames and embeddings in memory).
// The audit entry of the erasure stays.
import type { AppDeps } from '../context.js';
import { deleteSnapshot, snapshotRelativePath } from '../attendance/snapshots.js';
import { attendanceServiceFor } from '../resolvers/attendance.js';
import { enrollmentServiceFor } from '../resolvers/enrollment.js';
import { trainingServiceFor } from '../resolvers/training.js';
import { idempotencyStoreFor } from '../idempotency/recognize-once.js';

export interface TraceReport {
  snapshotFiles: number;
  outboxEntries: number;
  classifierModels: number;
  idempotencyRecords: number;
  enrollmentSessions: number;
}

/** Runs after the erasure transaction committed (the employee row is already erased). */
export async function eraseTraces(deps: AppDeps, employeeId: number): Promise<TraceReport> {
  const log = deps.log.child({ component: 'erasure', employeeId });
  const report: TraceReport = { snapshotFiles: 0, outboxEntries: 0, classifierModels: 0, idempotencyRecords: 0, enrollmentSessions: 0 };

  // Sessions re-enrolling this person: cancelled, their frames dropped from memory.
  const sessions = await deps.prisma.enrollmentSession.findMany({ where: { employeeId, status: 'active' }, select: { id: true } });
  for (const { id } of sessions) {
    await enrollmentServiceFor(deps)
      .cancel(null, id)
      .then(() => (report.enrollmentSessions += 1))
      .catch((error: unknown) => log.warn({ err: error, sessionId: id }, 'erasure: enrollment session not cancelled'));
  }
  await deps.prisma.enrollmentSession.updateMany({ where: { employeeId, status: 'active' }, data: { status: 'cancelled', failureReason: 'employee erased' } });

  report.outboxEntries = await attendanceServiceFor(deps).outbox.forgetEmployee(employeeId);

  // Every file a log of theirs may have, whatever its row says now (the rows stay, anonymous).
  const logs = await deps.prisma.attendanceLog.findMany({ where: { employeeId }, select: { eventId: true, localDate: true, snapshotPath: true } });
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

  report.classifierModels = await deleteClassifiersHolding(deps, employeeId);
  report.idempotencyRecords = await idempotencyStoreFor(deps).forgetSubject(employeeId);
  log.info(report, 'erasure: traces removed');
  return report;
}

/**
 * ClassifierModel rows trained with the person (their class is in the model, so
 * their embeddings are among its support vectors): deleted, active one included.
 * A training that is running may have read the person's templates before the
 * erasure: it is awaited and its model checked too. Recognition falls back to
 * cosine until the scheduled retrain (AUTO_RETRAIN) makes a model without them.
 */
async function deleteClassifiersHolding(deps: AppDeps, employeeId: number): Promise<number> {
  const training = trainingServiceFor(deps);
  let deleted = await deleteMatching(deps, employeeId);
  if (training.running) {
    await training.train().catch(() => undefined);
    deleted += await deleteMatching(deps, employeeId);
  }
  if (deleted > 0) {
    training.scheduleAutoRetrain();
  }
  return deleted;
}

async function deleteMatching(deps: AppDeps, employeeId: number): Promise<number> {
  const rows = await deps.prisma.classifierModel.findMany({ select: { id: true, params: true } });
  const holding = rows.filter((r) => {
    const employees = (r.params as { fingerprint?: { employees?: unknown } } | null)?.fingerprint?.employees;
    // Without a fingerprint we cannot tell: such a model goes too.
    return !Array.isArray(employees) || employees.includes(employeeId);
  });
  if (holding.length === 0) {
    return 0;
  }
  const { count } = await deps.prisma.classifierModel.deleteMany({ where: { id: { in: holding.map((r) => r.id) } } });
  return count;
}
