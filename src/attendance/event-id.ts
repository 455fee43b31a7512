// Attendance event ids. A recognized face gets a fresh id made by the server
// (newEventId): never one derived from a client header or a connection id,
// which two people or two requests can share. Client retries are made safe by
// an Idempotency-Key (src/idempotency/), which replays the stored answer
// instead of recording again. Camera decisions that arrive without an id get a
// deterministic one (deriveEventId), so an outbox replay maps to the same log.
import { createHash, randomUUID } from 'node:crypto';

/** 32 hex chars of a random UUID: unique per recognized face. */
export function newEventId(): string {
  return randomUUID().replace(/-/g, '');
}

/** sha256 of employee, camera and millisecond timestamp, hex (64 chars = the column width). */
export function deriveEventId(employeeId: number, cameraId: number | null | undefined, at: Date): string {
  return createHash('sha256')
    .update(`attendance:v1:${employeeId}:${cameraId ?? '-'}:${at.getTime()}`)
    .digest('hex');
}
