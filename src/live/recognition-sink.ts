// What happens when a camera decides who a track is: subscribers hear it at
// once (the `recognized` topic), the attendance service records it (its dedupe window makes one
// log per person), and the recent-recognitions log keeps it with the
// employee's name and the attendance outcome for GET /api/v1/recognition/recognized.
import { toRecognizedEvent, type RecognizedEvent, type TrackDecided } from '../cameras/events.js';
import type { RecognitionEvent, RecordResult } from '../attendance/types.js';
import type { EmployeeDirectory } from './employee-directory.js';
import type { AttendanceOutcome, RecentRecognition, RecentRecognitionLog } from './recent-recognitions.js';

export interface RecognitionSinkDeps {
  /** Publishes on the `recognized` topic. */
  publish(event: RecognizedEvent): void;
  recent: RecentRecognitionLog;
  /** This instance: the one whose camera decided. */
  instanceId: string;
  directory: EmployeeDirectory;
  recordRecognition(event: RecognitionEvent): Promise<RecordResult>;
  /** When the camera's current run began (epoch ms): part of the attendance event id. */
  sessionStart(event: TrackDecided): number | null;
  logger: { warn(obj: object, msg?: string): void; error(obj: object, msg?: string): void };
}

/**
 * The attendance idempotency key of a decided track: a retried write of the
 * same decision is one log; a new camera run starts new track numbers, hence
 * its start time. Under the 64-character column width.
 */
export function liveEventId(event: Pick<RecognizedEvent, 'cameraId' | 'trackId' | 'employeeId'>, sessionStart: number | null): string {
  return `live:${event.cameraId}:${sessionStart ?? 0}:${event.trackId}:${event.employeeId}`;
}

export type RecognitionSink = (event: TrackDecided) => Promise<void>;

export function createRecognitionSink(deps: RecognitionSinkDeps): RecognitionSink {
  // Attendance writes go one at a time, in decision order, so two decisions
  // for the same person never race past the dedupe window check together.
  let writes: Promise<unknown> = Promise.resolve();
  return async (event) => {
    // Subscribers first and synchronously: the database must not delay them.
    deps.publish(toRecognizedEvent(event));
    const entry: RecentRecognition = {
      cameraId: event.cameraId,
      trackId: event.trackId,
      employeeId: event.employeeId,
      employeeName: null,
      employeeCode: null,
      confidence: event.confidence,
      method: event.method,
      at: event.at,
      firstSeenAt: event.firstSeenAt,
      frameNumber: event.frameNumber,
      box: event.box,
      attendance: 'pending',
      instanceId: deps.instanceId,
    };
    deps.recent.add(entry);
    const [labels, outcome] = await Promise.all([
      deps.directory.lookup([event.employeeId]).catch((error: unknown) => {
        deps.logger.warn({ err: error }, 'live: employee lookup failed');
        return undefined;
      }),
      (writes = writes.then(() => record(deps, event))) as Promise<AttendanceOutcome>,
    ]);
    const label = labels?.get(event.employeeId);
    // The ring holds this same object: fill it in place.
    entry.employeeName = label?.fullName ?? null;
    entry.employeeCode = label?.employeeCode ?? null;
    entry.attendance = outcome;
    deps.recent.settled(entry);
  };
}

async function record(deps: RecognitionSinkDeps, event: TrackDecided): Promise<AttendanceOutcome> {
  if (event.method === 'manual') {
    return 'rejected';
  }
  try {
    const result = await deps.recordRecognition({
      eventId: liveEventId(event, deps.sessionStart(event)),
      employeeId: event.employeeId,
      cameraId: event.cameraId,
      at: new Date(event.at),
      confidence: Math.min(1, Math.max(0, event.confidence)),
      method: event.method,
      ...(event.snapshotJpeg === undefined ? {} : { snapshotJpeg: event.snapshotJpeg }),
    });
    if (result.kind === 'rejected') {
      deps.logger.warn({ cameraId: event.cameraId, employeeId: event.employeeId, reason: result.reason }, 'live: attendance rejected the recognition');
    }
    return result.kind;
  } catch (error) {
    deps.logger.error({ err: error, cameraId: event.cameraId, employeeId: event.employeeId }, 'live: recording attendance failed');
    return 'failed';
  }
}
