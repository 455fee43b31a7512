// A camera's live state, for cameraInfo (GraphQL) and /recognition/camera/info
// (REST). What it publishes (frames, decisions) is in events.ts.
import type { CameraId } from '../domain/ids.js';
import type { LatencySummary } from '../math/latency-window.js';

export type CameraState = 'connecting' | 'connected' | 'reconnecting' | 'stopped';

export interface CameraInfo {
  cameraId: CameraId;
  /** The server instance capturing the camera (null: none); set by the camera service. */
  owner?: string | null;
  name: string | null;
  /** The source with any URL password hidden. */
  source: string;
  state: CameraState;
  /** Why the camera is reconnecting (or last failed). */
  error: string | null;
  /** When state is 'stopped': asked to, or a non-looping file ended. */
  stoppedReason: 'requested' | 'ended' | null;
  reconnectAttempt: number;
  nextRetryAt: number | null;
  width: number | null;
  height: number | null;
  /** Frame rate the source reports. */
  sourceFps: number | null;
  /** Measured frames per second arriving from the capture, and processed by the engine. */
  fpsIn: number;
  fpsProcessed: number;
  predictInterval: number;
  /** Frames read from the source (including those dropped for back-pressure). */
  framesCaptured: number;
  framesProcessed: number;
  /** Frames lost to back-pressure (queue full or capture credits exhausted); PREDICT_INTERVAL skips are not drops. */
  framesDropped: number;
  /** Frames the engine failed on (timeouts, errors). */
  framesFailed: number;
  latencyMs: LatencySummary;
  activeTracks: number;
  recognitions: number;
  startedAt: number | null;
  lastFrameAt: number | null;
}
