// A deterministic idempotency key for events that arrive without one, so a
// retried request or an outbox replay maps to the same AttendanceLog.eventId.
import { createHash } from 'node:crypto';

/** sha256 of employee, camera and millisecond timestamp, hex (64 chars = the column width). */
export function deriveEventId(employeeId: number, cameraId: number | null | undefined, at: Date): string {
  return createHash('sha256')
    .update(`attendance:v1:${employeeId}:${cameraId ?? '-'}:${at.getTime()}`)
    .digest('hex');
}
