// What a running camera tells the rest of the server: per-frame results,
// decided identities, and its state for cameraInfo. The GraphQL
// subscriptions, SSE, the old WebSocket and attendance all read these shapes.
import type { CameraId, EmployeeId } from '../domain/ids.js';
import type { Box } from '../vision/types.js';
import type { RecognitionMethod } from './decision.js';
import type { LatencySummary } from '../math/latency-window.js';
import type { TrackId } from './tracker.js';

export type CameraState = 'connecting' | 'connected' | 'reconnecting' | 'stopped';

export interface FrameFace {
  box: Box;
  trackId: TrackId;
  /** The track's voted identity: 'pending' until enough frames agree. */
  status: 'pending' | 'recognized' | 'unknown';
  employeeId: EmployeeId | null;
  /** The decided identity's confidence, else this frame's best score, else null (not embedded yet). */
  confidence: number | null;
  method: RecognitionMethod | null;
  detectionScore: number;
}

export interface FrameEvent {
  cameraId: CameraId;
  frameNumber: number;
  /** Epoch ms when the frame was captured. */
  timestamp: number;
  /** Position in a video file, ms; null for live sources. */
  mediaTimeMs: number | null;
  width: number;
  height: number;
  faces: FrameFace[];
  /** Capture to result, ms. */
  latencyMs: number;
}

export interface RecognizedEvent {
  cameraId: CameraId;
  trackId: TrackId;
  employeeId: EmployeeId;
  confidence: number;
  method: RecognitionMethod;
  /** Epoch ms when the vote decided. */
  at: number;
  /** Epoch ms of the track's first frame. */
  firstSeenAt: number;
  frameNumber: number;
  mediaTimeMs: number | null;
  box: Box;
  /** Aligned 112x112 face of the track's best frame, JPEG, when snapshots are on. */
  snapshotJpeg?: Uint8Array;
}

export interface CameraInfo {
  cameraId: CameraId;
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
