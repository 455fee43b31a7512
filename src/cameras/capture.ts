// One camera's capture, seen from the main thread: owns the capture worker,
// turns its messages into frames and state, restarts it with back-off if the
// thread itself dies, and stops it on request. The event loop never blocks on
// a camera: opening, reading and decoding happen in the worker.
import { existsSync } from 'node:fs';
import type { Worker } from 'node:worker_threads';
import type { RawFrame } from '../engine/face-engine.js';
import { DEFAULT_BACKOFF, backoffDelay, type BackoffOptions } from './backoff.js';
import {
  CONTROL_IN_FLIGHT,
  CONTROL_LENGTH,
  CONTROL_STOP,
  type CaptureWorkerData,
  type CaptureWorkerMessage,
} from './capture-protocol.js';
import type { CameraSource } from './source.js';
import { spawnWorker } from './spawn-worker.js';

export interface CapturedFrame extends RawFrame {
  frameNumber: number;
  /** Epoch ms when the worker read the frame. */
  capturedAt: number;
  /** Position in a video file, ms; null for live sources. */
  mediaTimeMs: number | null;
}

export type CaptureState =
  | { kind: 'connecting'; attempt: number }
  | { kind: 'connected'; width: number; height: number; fps: number; frameCount: number | null }
  | { kind: 'reconnecting'; attempt: number; retryInMs: number; error: string; retryAt: number }
  | { kind: 'stopped'; reason: 'requested' | 'ended' };

export interface CaptureOptions {
  source: CameraSource;
  width?: number;
  height?: number;
  fps?: number;
  /** Files: true (default) plays at the file's rate; false reads as fast as frames are acknowledged. */
  realtime?: boolean;
  /** Un-acknowledged frames allowed before the worker skips (live) or waits (lossless). Default 4. */
  maxInFlight?: number;
  backoff?: BackoffOptions;
  /** How long stop() waits for the worker to finish a blocking call before terminating it. */
  stopTimeoutMs?: number;
}

export interface CaptureHandlers {
  /** A new frame. Call release() once it is processed or dropped: that is the worker's credit. */
  onFrame(frame: CapturedFrame, release: () => void): void;
  onState?(state: CaptureState): void;
}

export interface CaptureStats {
  framesRead: number;
  /** Frames the worker skipped because the consumer held maxInFlight frames. */
  framesSkipped: number;
  workerRestarts: number;
}

const WORKER_ENTRY = (() => {
  const js = new URL('../workers/capture-worker.js', import.meta.url);
  return existsSync(js) ? js : new URL('../workers/capture-worker.ts', import.meta.url);
})();

export class CameraCapture {
  #state: CaptureState = { kind: 'stopped', reason: 'requested' };
  #worker: Worker | undefined;
  #control: Int32Array | undefined;
  #restartTimer: NodeJS.Timeout | undefined;
  #crashes = 0;
  #stopping = false;
  #framesRead = 0;
  #skippedBefore = 0; // skipped counts of earlier worker instances
  #skippedNow = 0;
  #workerRestarts = 0;
  #lastFrameNumber = 0;
  #frameOffset = 0;

  constructor(
    private readonly options: CaptureOptions,
    private readonly handlers: CaptureHandlers,
  ) {}

  get state(): CaptureState {
    return this.#state;
  }

  stats(): CaptureStats {
    return { framesRead: this.#framesRead, framesSkipped: this.#skippedBefore + this.#skippedNow, workerRestarts: this.#workerRestarts };
  }

  start(): void {
    if (this.#worker !== undefined || this.#restartTimer !== undefined) {
      return;
    }
    this.#stopping = false;
    this.#setState({ kind: 'connecting', attempt: 0 });
    this.#spawn();
  }

  async stop(): Promise<void> {
    this.#stopping = true;
    clearTimeout(this.#restartTimer);
    this.#restartTimer = undefined;
    const worker = this.#worker;
    const control = this.#control;
    this.#worker = undefined;
    this.#control = undefined;
    this.#setState({ kind: 'stopped', reason: 'requested' });
    if (worker === undefined || control === undefined) {
      return;
    }
    Atomics.store(control, CONTROL_STOP, 1);
    Atomics.notify(control, CONTROL_STOP);
    Atomics.notify(control, CONTROL_IN_FLIGHT);
    const exited = new Promise<void>((resolve) => worker.once('exit', () => resolve()));
    const timeout = new Promise<'timeout'>((resolve) => setTimeout(() => resolve('timeout'), this.options.stopTimeoutMs ?? 2000).unref());
    if ((await Promise.race([exited, timeout])) === 'timeout') {
      // Stuck in a blocking open/read (an unreachable stream): terminate takes effect when it returns.
      worker.unref();
      void worker.terminate();
    }
  }

  #spawn(): void {
    const control = new SharedArrayBuffer(CONTROL_LENGTH * Int32Array.BYTES_PER_ELEMENT);
    const data: CaptureWorkerData = {
      source: this.options.source,
      width: this.options.width,
      height: this.options.height,
      fps: this.options.fps,
      realtime: this.options.realtime ?? true,
      maxInFlight: this.options.maxInFlight ?? 4,
      backoff: this.options.backoff ?? DEFAULT_BACKOFF,
      control,
    };
    const controlView = new Int32Array(control);
    const worker = spawnWorker(WORKER_ENTRY, { workerData: data, name: 'capture' });
    this.#worker = worker;
    this.#control = controlView;
    this.#skippedBefore += this.#skippedNow;
    this.#skippedNow = 0;
    // Frame numbers keep growing across worker restarts.
    this.#frameOffset = this.#lastFrameNumber;
    worker.on('message', (message: CaptureWorkerMessage) => {
      if (this.#worker === worker) {
        this.#onMessage(message, controlView);
      }
    });
    worker.on('error', (error) => {
      if (this.#worker === worker) {
        this.#crashed(error.message);
      }
    });
    worker.on('exit', (code) => {
      if (this.#worker !== worker) {
        return;
      }
      if (!this.#stopping && this.#state.kind !== 'stopped') {
        this.#crashed(`capture worker exited with code ${code}`);
      } else {
        this.#worker = undefined; // a file that ended: start() may play it again
        this.#control = undefined;
      }
    });
  }

  #crashed(error: string): void {
    const worker = this.#worker;
    this.#worker = undefined;
    this.#control = undefined;
    void worker?.terminate();
    const backoff = this.options.backoff ?? DEFAULT_BACKOFF;
    const retryInMs = backoffDelay(this.#crashes, backoff);
    this.#crashes += 1;
    this.#setState({ kind: 'reconnecting', attempt: this.#crashes, retryInMs, error, retryAt: Date.now() + retryInMs });
    this.#restartTimer = setTimeout(() => {
      this.#restartTimer = undefined;
      if (!this.#stopping) {
        this.#workerRestarts += 1;
        this.#spawn();
      }
    }, retryInMs);
  }

  #onMessage(message: CaptureWorkerMessage, control: Int32Array): void {
    switch (message.type) {
      case 'opening':
        if (this.#state.kind !== 'reconnecting') {
          this.#setState({ kind: 'connecting', attempt: message.attempt });
        }
        return;
      case 'opened':
        this.#crashes = 0;
        this.#setState({ kind: 'connected', width: message.width, height: message.height, fps: message.fps, frameCount: message.frameCount });
        return;
      case 'frame': {
        this.#framesRead += 1;
        this.#skippedNow = message.skipped;
        const frameNumber = this.#frameOffset + message.frameNumber;
        this.#lastFrameNumber = frameNumber;
        let released = false;
        const release = (): void => {
          if (!released) {
            released = true;
            Atomics.sub(control, CONTROL_IN_FLIGHT, 1);
            Atomics.notify(control, CONTROL_IN_FLIGHT);
          }
        };
        const frame: CapturedFrame = {
          data: new Uint8Array(message.data),
          rows: message.rows,
          cols: message.cols,
          frameNumber,
          capturedAt: message.capturedAt,
          mediaTimeMs: message.mediaTimeMs,
        };
        try {
          this.handlers.onFrame(frame, release);
        } catch {
          release(); // a throwing consumer must not starve the worker of credits
        }
        return;
      }
      case 'reconnecting':
        this.#setState({
          kind: 'reconnecting',
          attempt: message.attempt,
          retryInMs: message.retryInMs,
          error: message.error,
          retryAt: Date.now() + message.retryInMs,
        });
        return;
      case 'ended':
        this.#setState({ kind: 'stopped', reason: 'ended' });
        return;
      case 'stopped':
        return;
    }
  }

  #setState(state: CaptureState): void {
    this.#state = state;
    try {
      this.handlers.onState?.(state);
    } catch {
      // a listener's bug must not break the capture
    }
  }
}
