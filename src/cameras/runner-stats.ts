// The counters and rolling figures of one camera run (frames in, processed,
// failed, latency, fps, last error, geometry) and the CameraInfo built from
// them with the capture's own state.
import type { CameraId } from '../domain/ids.js';
import type { CameraInfo, CameraState } from './camera-info.js';
import type { CaptureState, CaptureStats } from './capture.js';
import { LatencyWindow } from '../math/latency-window.js';
import { RateMeter } from './metrics.js';

/** Failures are logged at most this often per camera. */
const FAILURE_LOG_INTERVAL_MS = 5_000;

export interface InfoParts {
  cameraId: CameraId;
  name: string | null;
  source: string;
  running: boolean;
  capture: { state: CaptureState; stats: CaptureStats } | undefined;
  predictInterval: number;
  queueDropped: number;
  activeTracks: number;
  now: number;
}

export class RunnerStats {
  readonly #fpsIn = new RateMeter();
  readonly #fpsProcessed = new RateMeter();
  readonly #latency = new LatencyWindow(200);
  #captured = 0;
  #processed = 0;
  #failed = 0;
  #recognitions = 0;
  #startedAt: number | null = null;
  #lastFrameAt: number | null = null;
  #lastError: string | null = null;
  /** Last connected geometry, still shown once the camera stops. */
  #geometry: { width: number; height: number; fps: number } | null = null;
  #lastFailureLog = 0;

  started(at: number): void {
    this.#startedAt = at;
  }

  /** A frame read from the source (processed or not). */
  captured(capturedAt: number, now: number): void {
    this.#captured += 1;
    this.#lastFrameAt = capturedAt;
    this.#fpsIn.tick(now);
  }

  /** A frame the capture skipped: it was still read from the source, so it counts for fps in. */
  skipped(now: number): void {
    this.#fpsIn.tick(now);
  }

  processed(latencyMs: number, now: number): void {
    this.#latency.record(latencyMs);
    this.#processed += 1;
    this.#fpsProcessed.tick(now);
  }

  /** Counts an engine failure; true when it should be logged (not more than every few seconds). */
  failed(now: number): boolean {
    this.#failed += 1;
    if (now - this.#lastFailureLog > FAILURE_LOG_INTERVAL_MS) {
      this.#lastFailureLog = now;
      return true;
    }
    return false;
  }

  get failures(): number {
    return this.#failed;
  }

  recognized(): void {
    this.#recognitions += 1;
  }

  captureState(state: CaptureState): void {
    if (state.kind === 'reconnecting') {
      this.#lastError = state.error;
    } else if (state.kind === 'connected') {
      this.#geometry = { width: state.width, height: state.height, fps: state.fps };
      this.#lastError = null;
    }
  }

  info(p: InfoParts): CameraInfo {
    const state = p.capture?.state;
    const skipped = p.capture?.stats.framesSkipped ?? 0;
    return {
      cameraId: p.cameraId,
      name: p.name,
      source: p.source,
      state: toCameraState(state, p.running),
      error: state?.kind === 'reconnecting' ? state.error : this.#lastError,
      stoppedReason: !p.running ? 'requested' : state?.kind === 'stopped' ? state.reason : null,
      reconnectAttempt: state?.kind === 'reconnecting' ? state.attempt : 0,
      nextRetryAt: state?.kind === 'reconnecting' ? state.retryAt : null,
      width: this.#geometry?.width ?? null,
      height: this.#geometry?.height ?? null,
      sourceFps: this.#geometry?.fps ?? null,
      fpsIn: round1(this.#fpsIn.rate(p.now)),
      fpsProcessed: round1(this.#fpsProcessed.rate(p.now)),
      predictInterval: p.predictInterval,
      framesCaptured: this.#captured + skipped,
      framesProcessed: this.#processed,
      framesDropped: p.queueDropped + skipped,
      framesFailed: this.#failed,
      latencyMs: this.#latency.summary(),
      activeTracks: p.activeTracks,
      recognitions: this.#recognitions,
      startedAt: this.#startedAt,
      lastFrameAt: this.#lastFrameAt,
    };
  }
}

function toCameraState(state: CaptureState | undefined, running: boolean): CameraState {
  if (!running || state === undefined) {
    return 'stopped';
  }
  return state.kind;
}

const round1 = (n: number): number => Math.round(n * 10) / 10;
