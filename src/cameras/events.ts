// What a running camera publishes: per-frame results (topic
// `recognitionFrames`) and decided identities (topic `recognized`). The GraphQL
// subscriptions, SSE and the old WebSocket read these shapes through the
// app's pub/sub, so they must survive JSON: epoch ms numbers, no binary.
import type { CameraId, EmployeeId } from '../domain/ids.js';
import type { Box } from '../vision/types.js';
import type { RecognitionMethod } from './face-decision.js';
import type { TrackId } from './tracker.js';

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
}

/**
 * What a camera reports when a track is decided: the event and, in this
 * process only, the face to keep with the attendance log. Never published
 * (binary does not survive the Redis event target's JSON).
 */
export interface TrackDecided extends RecognizedEvent {
  /** Aligned 112x112 face of the track's best frame, JPEG, when snapshots are on. */
  snapshotJpeg?: Uint8Array;
}

/** The published part of a decision. */
export function toRecognizedEvent(decided: TrackDecided): RecognizedEvent {
  const { snapshotJpeg: _snapshot, ...event } = decided;
  return event;
}

/**
 * A track judged not live (the median P(live) of its frames below the threshold): a photo or a
 * screen. Reported by the runner; the camera service audits it and publishes presentationAttack.
 */
export interface CameraAttackEvent {
  cameraId: CameraId;
  trackId: TrackId;
  /** Epoch ms. */
  at: number;
  livenessScore: number;
  frames: number;
  /** Whom its frames' recognition pointed at, if anyone. */
  resembled: { employeeId: EmployeeId; confidence: number } | null;
}
