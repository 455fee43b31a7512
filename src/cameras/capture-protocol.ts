// Messages between a camera's capture worker and the main thread. Plain,
// structured-clone friendly data; frame pixels travel as a transferred
// ArrayBuffer (no copy).
import type { BackoffOptions } from './backoff.js';
import type { CameraSource } from './source.js';

/** Indexes into the shared Int32Array that both sides see (see control below). */
export const CONTROL_STOP = 0;
/** Frames posted by the worker and not yet acknowledged by the consumer. */
export const CONTROL_IN_FLIGHT = 1;
export const CONTROL_LENGTH = 2;

export interface CaptureWorkerData {
  source: CameraSource;
  /** Requested resolution and rate; devices and some streams honour them, files keep their own. */
  width?: number;
  height?: number;
  fps?: number;
  /**
   * Files only. true: play at the file's frame rate, like a camera (frames the
   * consumer cannot take are skipped and counted). false: read as fast as the
   * consumer acknowledges frames, never skipping one (benchmarks, tests).
   */
  realtime: boolean;
  /** Most frames the worker keeps un-acknowledged before it skips (live) or waits (lossless). */
  maxInFlight: number;
  backoff: BackoffOptions;
  /** SharedArrayBuffer of CONTROL_LENGTH int32s. */
  control: SharedArrayBuffer;
}

export type CaptureWorkerMessage =
  | { type: 'opening'; attempt: number }
  | { type: 'opened'; width: number; height: number; fps: number; frameCount: number | null }
  | {
      type: 'frame';
      /** Counts every frame read since the worker started, across reconnects and loops. */
      frameNumber: number;
      /** Epoch ms (performance.timeOrigin + performance.now(), comparable across threads). */
      capturedAt: number;
      /** Position in a file, ms from its start; null for live sources. */
      mediaTimeMs: number | null;
      rows: number;
      cols: number;
      data: ArrayBuffer;
      /** Frames skipped so far because the consumer held maxInFlight frames. */
      skipped: number;
    }
  | { type: 'reconnecting'; attempt: number; retryInMs: number; error: string }
  | { type: 'ended'; frames: number }
  | { type: 'stopped' };
