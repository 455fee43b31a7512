// Every pub/sub topic and its payload, in one typed map. Payloads must survive
// JSON (the Redis event target serialises them): ISO strings, not Dates.
//
// Adding a topic: add a line here. A plain topic is `name: [payload]`; a topic
// with a per-id channel (subscribers pick one id) is `name: [id, payload]`,
// published as `publish('name', id, payload)`, e.g.
//   attendanceLogged: [AttendanceLoggedEvent];
//   enrollmentProgress: [sessionId: string, EnrollmentProgressEvent];
//   recognitionFrames: [cameraId: number, RecognitionFrameEvent];
//   recognized: [RecognizedEvent];

import type { AttendanceLoggedEvent } from '../attendance/logged-event.js';
import type { EnrollmentProgressEvent } from '../enrollment/progress-event.js';
import type { TrainingProgressEvent } from '../services/training-service.js';

export type EmployeeChangeKind = 'created' | 'updated' | 'deactivated' | 'erased';

export interface EmployeeChangedEvent {
  kind: EmployeeChangeKind;
  employeeId: number;
  /** ISO-8601 time of the change. */
  at: string;
}

// A type (not an interface) so it satisfies pubsub's index-signature constraint.
export type AppTopics = {
  employeeChanged: [EmployeeChangedEvent];
  attendanceLogged: [AttendanceLoggedEvent];
  trainingProgress: [TrainingProgressEvent];
  enrollmentProgress: [sessionId: string, EnrollmentProgressEvent];
};
