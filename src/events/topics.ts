// Every pub/sub topic and its payload, in one typed map; each payload type is
// defined by its domain, in that domain's events.ts. Payloads must survive
// JSON (the Redis event target serialises them): ISO strings or epoch ms, not
// Dates; no binary.
//
// Adding a topic: add a line here. A plain topic is `name: [payload]`; a topic
// with a per-id channel (subscribers pick one id) is `name: [id, payload]`,
// published as `publish('name', id, payload)`. The live topics
// (recognitionFrames, recognized) are read through per-subscriber drop-oldest
// buffers (src/events/buffered-subscriptions.ts).
import type { AttendanceLoggedEvent } from '../attendance/events.js';
import type { FrameEvent, RecognizedEvent } from '../cameras/events.js';
import type { EmployeeChangedEvent } from '../employees/events.js';
import type { EnrollmentProgressEvent } from '../enrollment/events.js';
import type { PresentationAttackEvent } from '../liveness/events.js';
import type { ClassifierActivatedEvent, ModelsReloadedEvent, ModelsReloadRequestedEvent, TrainingProgressEvent } from '../recognition/events.js';
import type { ApiKeyRevokedEvent } from '../auth/events.js';

// A type (not an interface) so it satisfies pubsub's index-signature constraint.
export type AppTopics = {
  employeeChanged: [EmployeeChangedEvent];
  attendanceLogged: [AttendanceLoggedEvent];
  trainingProgress: [TrainingProgressEvent];
  /** A trained classifier went live (every instance loads it). */
  classifierActivated: [ClassifierActivatedEvent];
  /** reload-models: every instance reloads from the database ... */
  modelsReloadRequested: [ModelsReloadRequestedEvent];
  /** ... and answers the request with its models (or its failure). */
  modelsReloaded: [ModelsReloadedEvent];
  enrollmentProgress: [sessionId: string, EnrollmentProgressEvent];
  apiKeyRevoked: [ApiKeyRevokedEvent];
  /** Every processed frame of every camera; subscribers filter by camera. */
  recognitionFrames: [FrameEvent];
  /** A track's decided identity. */
  recognized: [RecognizedEvent];
  /** A face judged not live, or a refused kiosk challenge (operators and admins). */
  presentationAttack: [PresentationAttackEvent];
};
