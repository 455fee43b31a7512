// Attendance service: recording recognitions (idempotent, deduplicated,
// queued durably while the database is away), queries, statistics, CSV export,
// corrections and snapshot retention. GraphQL resolvers, REST routes and the
// live cameras call it; the logic lives in src/attendance/*. Its lifetime
// (outbox replay and drain) and the retention purge's schedule are set in
// src/services/create-services.ts.
import { join } from 'node:path';
import { ValidationError } from '../domain/errors.js';
import type { AttendanceRepository } from '../attendance/attendance-repository.js';
import type { AttendanceAuditEntry } from '../attendance/audit-trail.js';
import type { AddLogInput, EditLogInput, VoidLogInput } from '../attendance/corrections.js';
import { deriveEventId } from '../attendance/event-id.js';
import { addDays, localDateOf, type LocalDate } from '../attendance/local-time.js';
import { createOutbox, type AttendanceOutbox, type OutboxEntry } from '../attendance/outbox.js';
import type { CheckInStatus, LogFilter, LogPage, Page } from '../attendance/queries.js';
import type { WriteResult } from '../attendance/record-log.js';
import { createRecorder } from '../attendance/record-or-queue.js';
import { deleteSnapshot, writeSnapshot } from '../attendance/snapshots.js';
import type { AttendanceStats } from '../attendance/stats.js';
import type { DatabaseStatus } from '../db/database-status.js';
import type { EmployeeRepository } from '../employees/employee-repository.js';
import type {
  AttendanceConfig,
  AttendanceLogRecord,
  Clock,
  Logger,
  PublishLogged,
  RecognitionEvent,
  RecordResult,
} from '../attendance/types.js';

export type AttendanceServiceDeps = {
  logs: AttendanceRepository;
  /** Logs are kept of employees that exist and are not erased. */
  employees: Pick<EmployeeRepository, 'getUnerased'>;
  /** Tells an outage from an event the database keeps refusing. */
  database: Pick<DatabaseStatus, 'ping'>;
  config: AttendanceConfig;
  clock: Clock;
  logger: Logger;
  /** Called after commit for each new log (e.g. publish `attendanceLogged` with toLoggedEvent). */
  publish?: PublishLogged;
  /** Where the outbox journal lives; default DATA_DIR/outbox. */
  outboxDir?: string;
  outboxBackoffMs?: { initial: number; max: number };
  /** OUTBOX_MAX_EVENTS; default DEFAULT_OUTBOX_MAX_EVENTS. */
  outboxMaxEvents?: number;
};

export interface AttendanceService {
  /** Replays what the outbox kept from a previous run; call once at start-up. */
  start(): Promise<void>;
  /** Stops the drainer (queued events stay on disk for the next start). */
  stop(): Promise<void>;
  readonly outbox: AttendanceOutbox;
  /**
   * Writes what another outbox folder holds (an instance that died left it): its events in order,
   * within `timeoutMs`; resolves with how many are still queued there.
   */
  drainOutbox(dir: string, timeoutMs: number): Promise<number>;
  /** Today's date in the configured time zone. */
  today(): LocalDate;
  recordRecognition(event: RecognitionEvent): Promise<RecordResult>;
  listLogs(filter?: LogFilter, page?: Page): Promise<LogPage>;
  todayLogs(page?: Page): Promise<LogPage>;
  employeeLogs(employeeId: number, filter?: Omit<LogFilter, 'employeeId'>, page?: Page): Promise<LogPage>;
  checkInStatus(employeeId: number): Promise<CheckInStatus>;
  /** Defaults: the last 7 local days up to today. */
  stats(range?: { from?: LocalDate; to?: LocalDate }): Promise<AttendanceStats>;
  exportCsv(filter: LogFilter & { from: LocalDate; to: LocalDate }): Promise<string>;
  addLog(input: AddLogInput): Promise<AttendanceLogRecord>;
  editLog(input: EditLogInput): Promise<AttendanceLogRecord>;
  voidLog(input: VoidLogInput): Promise<AttendanceLogRecord>;
  /** Deletes snapshot files past their retention and clears their paths; returns how many. */
  purgeExpiredSnapshots(): Promise<number>;
  /** The corrections' audit trail, newest first (optionally of one log). */
  auditTrail(options?: { logId?: number; skip?: number; take?: number }): Promise<{ items: AttendanceAuditEntry[]; totalCount: number }>;
}

const MAX_EVENT_ID_LENGTH = 64;

function checkEvent(event: RecognitionEvent): void {
  const issues: { path: string[]; message: string }[] = [];
  if (!Number.isFinite(event.at.getTime())) {
    issues.push({ path: ['at'], message: 'must be a valid time' });
  }
  if (!Number.isFinite(event.confidence) || event.confidence < 0 || event.confidence > 1) {
    issues.push({ path: ['confidence'], message: 'must be between 0 and 1' });
  }
  if (event.eventId !== undefined && (event.eventId.length === 0 || event.eventId.length > MAX_EVENT_ID_LENGTH)) {
    issues.push({ path: ['eventId'], message: `must be 1 to ${MAX_EVENT_ID_LENGTH} characters` });
  }
  if (issues.length > 0) {
    throw new ValidationError(issues);
  }
}

export function createAttendanceService(deps: AttendanceServiceDeps): AttendanceService {
  const { logs, config, clock, logger } = deps;
  const today = (): LocalDate => localDateOf(clock(), config.TIMEZONE);

  /** The database write shared by the direct path and the outbox drainer. */
  const write = async (entry: OutboxEntry, snapshot: Uint8Array | undefined): Promise<WriteResult> => {
    const result = await logs.write(clock(), {
      eventId: entry.eventId,
      employeeId: entry.employeeId,
      cameraId: entry.cameraId,
      at: new Date(entry.at),
      confidence: entry.confidence,
      method: entry.method,
      hasSnapshot: snapshot !== undefined,
    });
    if (result.kind !== 'logged') {
      return result;
    }
    let log = result.log;
    if (snapshot && log.snapshotPath) {
      try {
        await writeSnapshot(config.DATA_DIR, log.snapshotPath, snapshot);
        // The person may have been erased between the log's commit and this write: the
        // erasure cleared the path and deleted what existed then, so this file goes too.
        if ((await logs.snapshotPathOf(log.id)) !== log.snapshotPath) {
          await deleteSnapshot(config.DATA_DIR, log.snapshotPath);
          return { kind: 'logged', log: { ...log, snapshotPath: null, snapshotExpiresAt: null } };
        }
      } catch (error) {
        // The log matters more than its picture: keep the log, drop the path.
        logger.warn({ err: error, logId: log.id }, 'attendance: could not save snapshot');
        log = await logs.clearSnapshot(log.id);
      }
    }
    try {
      deps.publish?.(log);
    } catch (error) {
      logger.warn({ err: error, logId: log.id }, 'attendance: publishing attendanceLogged failed');
    }
    return { kind: 'logged', log };
  };

  const outboxAt = (dir: string): AttendanceOutbox =>
    createOutbox({
      dir,
      write,
      // Tells an outage from an event the database keeps refusing (poison).
      probe: () => deps.database.ping().then(() => true),
      logger,
      ...(deps.outboxMaxEvents !== undefined && { maxEvents: deps.outboxMaxEvents }),
      ...(deps.outboxBackoffMs && {
        initialBackoffMs: deps.outboxBackoffMs.initial,
        maxBackoffMs: deps.outboxBackoffMs.max,
      }),
    });
  const outbox = outboxAt(deps.outboxDir ?? join(config.DATA_DIR, 'outbox'));

  const record = createRecorder({ outbox, write, logger });

  const assertEmployee = async (employeeId: number): Promise<void> => {
    await deps.employees.getUnerased(employeeId);
  };

  return {
    outbox,
    start: () => outbox.start(),
    stop: () => outbox.stop(),
    async drainOutbox(dir, timeoutMs) {
      const foreign = outboxAt(dir);
      let timer: NodeJS.Timeout | undefined;
      try {
        await foreign.start();
        await Promise.race([foreign.whenEmpty(), new Promise((resolve) => (timer = setTimeout(resolve, timeoutMs)))]);
        return foreign.size;
      } finally {
        clearTimeout(timer);
        await foreign.stop();
      }
    },
    today,

    async recordRecognition(event) {
      checkEvent(event);
      const cameraId = event.cameraId ?? null;
      const entry: OutboxEntry = {
        eventId: event.eventId ?? deriveEventId(event.employeeId, cameraId, event.at),
        employeeId: event.employeeId,
        cameraId,
        at: event.at.toISOString(),
        confidence: event.confidence,
        method: event.method,
      };
      // Queued unless the failure proves the event bad; behind the employee's queued events.
      return record(entry, event.snapshotJpeg);
    },

    listLogs: (filter = {}, page = {}) => logs.list(filter, page),

    todayLogs(page = {}) {
      const d = today();
      return logs.list({ from: d, to: d }, page);
    },

    async employeeLogs(employeeId, filter = {}, page = {}) {
      await assertEmployee(employeeId);
      return logs.list({ ...filter, employeeId }, page);
    },

    async checkInStatus(employeeId) {
      await assertEmployee(employeeId);
      return logs.checkInStatus(employeeId, today());
    },

    stats(range = {}) {
      const d = today();
      const to = range.to ?? d;
      const from = range.from ?? addDays(to, -6);
      return logs.stats({ today: d, from, to });
    },

    exportCsv: (filter) => logs.exportCsv(filter),

    async addLog(input) {
      const log = await logs.add(input);
      deps.publish?.(log);
      return log;
    },
    editLog: (input) => logs.edit(input),
    voidLog: (input) => logs.void(clock(), input),
    auditTrail: (options) => logs.auditTrail(options),

    async purgeExpiredSnapshots() {
      let purged = 0;
      for (;;) {
        const batch = await logs.expiredSnapshots(clock(), 500);
        if (batch.length === 0) {
          return purged;
        }
        for (const log of batch) {
          if (log.snapshotPath) {
            await deleteSnapshot(config.DATA_DIR, log.snapshotPath);
          }
        }
        await logs.clearSnapshots(batch.map((l) => l.id));
        purged += batch.length;
      }
    },
  };
}
