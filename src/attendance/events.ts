// Payload of the `attendanceLogged` topic. JSON-safe (ISO strings), because the
// Redis event target serialises payloads; subscribers load the employee by id.
import type { AttendanceLogRecord } from './types.js';

export type AttendanceLoggedEvent = {
  logId: number;
  eventId: string;
  employeeId: number;
  cameraId: number | null;
  eventType: 'check_in' | 'check_out' | 'seen';
  /** ISO instant */
  checkInTime: string;
  localDate: string;
  confidenceScore: number;
  recognitionMethod: 'svm' | 'cosine' | 'manual';
};

export function toLoggedEvent(log: AttendanceLogRecord): AttendanceLoggedEvent {
  return {
    logId: log.id,
    eventId: log.eventId,
    employeeId: log.employeeId,
    cameraId: log.cameraId,
    eventType: log.eventType,
    checkInTime: log.checkInTime.toISOString(),
    localDate: log.localDate,
    confidenceScore: log.confidenceScore,
    recognitionMethod: log.recognitionMethod,
  };
}
