// What the `enrollmentProgress` topic carries per session: the feedback of each
// frame as it is applied, and a last event when the session ends. JSON-safe
// (the Redis event target serialises it).
import type { FrameFeedback } from './feedback-types.js';

export type EnrollmentSessionStatus = 'active' | 'completed' | 'cancelled' | 'expired';

export interface EnrollmentProgressEvent {
  sessionId: string;
  status: EnrollmentSessionStatus;
  /** The frame just applied; null for the closing event. */
  feedback: FrameFeedback | null;
  /** Set on the closing event of a completed session. */
  employeeId: number | null;
  /** ISO-8601. */
  at: string;
}
