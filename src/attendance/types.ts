// Shared attendance types: what the service accepts, returns and needs from config.
import type { Config } from '../config.js';
import type { CameraId, EmployeeId } from '../domain/ids.js';
import type { AttendanceLog } from '../generated/prisma/client.js';

export type AttendanceEventType = 'check_in' | 'check_out' | 'seen';
/** How a log came to be: a classifier, or an admin correction. */
export type RecognitionMethodName = 'svm' | 'cosine' | 'manual';

/** The config keys attendance reads; pass the whole Config or a test's subset. */
export type AttendanceConfig = Pick<
  Config,
  | 'TIMEZONE'
  | 'ATTENDANCE_DEDUPE_MINUTES'
  | 'CHECKOUT_ENABLED'
  | 'CHECKOUT_MIN_MINUTES'
  | 'SHIFT_START'
  | 'LATE_GRACE_MINUTES'
  | 'SNAPSHOTS_ENABLED'
  | 'SNAPSHOT_RETENTION_DAYS'
  | 'DATA_DIR'
>;

/** One recognized face, as the recognizer or a camera pipeline reports it. */
export type RecognitionEvent = {
  /** Idempotency key; derived from employee, camera and time when absent. */
  eventId?: string;
  employeeId: EmployeeId;
  cameraId?: CameraId | null;
  at: Date;
  confidence: number;
  method: 'svm' | 'cosine';
  /** JPEG of the face crop, kept SNAPSHOT_RETENTION_DAYS when snapshots are enabled. */
  snapshotJpeg?: Uint8Array;
};

/** The row as Prisma returns it; GraphQL and REST map it to their shapes. */
export type AttendanceLogRecord = AttendanceLog;

export type RecordResult =
  | { kind: 'logged'; log: AttendanceLogRecord }
  | { kind: 'duplicate'; reason: 'same_event' | 'dedupe_window'; existingLogId: number }
  /** The database was unreachable: the event is in the durable outbox and will be written later. */
  | { kind: 'queued'; eventId: string }
  /** Never retried: the employee or camera does not exist (or the employee was erased). */
  | { kind: 'rejected'; reason: 'unknown_employee' | 'unknown_camera' };

export type Clock = () => Date;

export type Logger = {
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
  error(obj: object, msg?: string): void;
};

/** Called after commit for every new log, e.g. to publish `attendanceLogged`. */
export type PublishLogged = (log: AttendanceLogRecord) => void;
