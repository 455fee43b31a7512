// One camera's capture, seen from the server: owns the capture process,
// turns its output into frames and state, restarts it with back-off if it
// dies, and stops it on request. The event loop never blocks on a camera:
// opening, reading and decoding happen in the child process.
//
// Why a process and not a worker thread: @u4/opencv4nodejs keeps its class
// templates in process-wide statics, so loading it in a second thread (or in a
// new thread after the first exited) aborts the whole process (V8 "Check
// failed: node->IsInUse()" or a segfault). A process per camera is also the
// only way to survive a crash inside FFmpeg or a camera driver, and a stuck
// blocking open (unreachable stream) can simply be killed.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { RawFrame } from '../engine/face-engine.js';
import { DEFAULT_BACKOFF, backoffDelay, type BackoffOptions } from './backoff.js';
import { CaptureRecordDecoder, type CaptureEvent, type CaptureSettings, type ParentMessage } from './capture-protocol.js';
import type { CameraSource } from './source.js';
import { captureEnvironment } from './capture-env.js';

export interface CapturedFrame extends RawFrame {
  frameNumber: number;
  /** Epoch ms when the capture read the frame. */
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
  /** Files: true (default) plays at the file's rate; false reads as fast as frames are released. */
  realtime?: boolean;
  /** Un-released frames allowed before the capture skips (live) or waits (lossless). Default 4. */
  maxInFlight?: number;
  backoff?: BackoffOptions;
  /** How long stop() waits for the process to finish a blocking call before killing it. Default 2000. */
  stopTimeoutMs?: number;
  /** Lines the capture process writes to stderr (OpenCV / FFmpeg warnings). */
  onLog?: (line: string) => void;
}

export interface CaptureHandlers {
  /** A new frame. Call release() once it is processed or dropped: that is the capture's credit. */
  onFrame(frame: CapturedFrame, release: () => void): void;
  onState?(state: CaptureState): void;
  /** The capture read a frame and skipped it because the consumer held maxInFlight frames. */
  onSkipped?(total: number): void;
}

export interface CaptureStats {
  framesRead: number;
  /** Frames the capture skipped because the consumer held maxInFlight frames. */
  framesSkipped: number;
  /** Capture processes restarted after dying. */
  processRestarts: number;
}

const ENTRY = (() => {
  const js = new URL('./capture-entry.js', import.meta.url);
  return existsSync(js) ? js : new URL('./capture-entry.ts', import.meta.url);
})();

/** node arguments to run the entry: a .ts entry needs tsx's loader (the server itself runs under tsx). */
function nodeArgs(entry: URL): string[] {
  const path = fileURLToPath(entry);
  if (!path.endsWith('.ts')) {
    return [path];
  }
  const loader = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;
  return ['--import', loader, path];
}

export class CameraCapture {
  #state: CaptureState = { kind: 'stopped', reason: 'requested' };
  #child: ChildProcess | undefined;
  #restartTimer: NodeJS.Timeout | undefined;
  #crashes = 0;
  #stopping = false;
  #framesRead = 0;
  #skippedBefore = 0; // skipped counts of earlier processes
  #skippedNow = 0;
  #restarts = 0;
  #lastFrameNumber = 0;
  #frameOffset = 0;

  constructor(
    private readonly options: CaptureOptions,
    private readonly handlers: CaptureHandlers,
  ) {}

  get state(): CaptureState {
    return this.#state;
  }

  /** The capture process's id, while one runs (diagnostics, tests). */
  get pid(): number | undefined {
    return this.#child?.pid;
  }

  stats(): CaptureStats {
    return { framesRead: this.#framesRead, framesSkipped: this.#skippedBefore + this.#skippedNow, processRestarts: this.#restarts };
  }

  start(): void {
    if (this.#child !== undefined || this.#restartTimer !== undefined) {
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
    const child = this.#child;
    this.#child = undefined;
    this.#setState({ kind: 'stopped', reason: 'requested' });
    if (child === undefined || child.exitCode !== null || child.signalCode !== null) {
      return;
    }
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    send(child, { type: 'stop' });
    const timeout = new Promise<'timeout'>((resolve) => setTimeout(() => resolve('timeout'), this.options.stopTimeoutMs ?? 2000).unref());
    if ((await Promise.race([exited, timeout])) === 'timeout') {
      // Stuck in a blocking open or read (an unreachable stream): kill it.
      child.kill('SIGKILL');
      await exited;
    }
  }

  #spawn(): void {
    const settings: CaptureSettings = {
      source: this.options.source,
      width: this.options.width,
      height: this.options.height,
      fps: this.options.fps,
      realtime: this.options.realtime ?? true,
      maxInFlight: this.options.maxInFlight ?? 4,
      backoff: this.options.backoff ?? DEFAULT_BACKOFF,
    };
    // Only the variables a capture process needs: no secrets (database URL, keys) in its environment.
    const child = spawn(process.execPath, nodeArgs(ENTRY), {
      stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
      serialization: 'json',
      env: captureEnvironment(process.env),
    });
    this.#child = child;
    this.#skippedBefore += this.#skippedNow;
    this.#skippedNow = 0;
    // Frame numbers keep growing across restarts.
    this.#frameOffset = this.#lastFrameNumber;
    const decoder = new CaptureRecordDecoder();
    child.stdout?.on('data', (chunk: Buffer) => {
      if (this.#child !== child) {
        return;
      }
      for (const record of decoder.push(chunk)) {
        if ('payload' in record) {
          this.#onFrame(child, record.event, record.payload);
        } else {
          this.#onEvent(record.event);
        }
      }
    });
    let stderrTail = '';
    child.stderr?.setEncoding('utf8');
    child.stderr?.on('data', (text: string) => {
      const lines = (stderrTail + text).split('\n');
      stderrTail = lines.pop() ?? '';
      for (const line of lines) {
        if (line.trim() !== '') {
          this.options.onLog?.(line);
        }
      }
    });
    child.on('error', (error) => {
      if (this.#child === child) {
        this.options.onLog?.(`capture process failed to start: ${error.message}`);
        this.#crashed('capture process failed to start');
      }
    });
    child.on('exit', (code, signal) => {
      if (this.#child !== child) {
        return;
      }
      this.#child = undefined;
      if (!this.#stopping && this.#state.kind !== 'stopped') {
        this.#crashed(`capture process exited (${signal ?? `code ${code}`})`);
      }
    });
    send(child, { type: 'start', settings });
  }

  #crashed(error: string): void {
    const child = this.#child;
    this.#child = undefined;
    child?.kill('SIGKILL');
    const retryInMs = backoffDelay(this.#crashes, this.options.backoff ?? DEFAULT_BACKOFF);
    this.#crashes += 1;
    this.#setState({ kind: 'reconnecting', attempt: this.#crashes, retryInMs, error, retryAt: Date.now() + retryInMs });
    this.#restartTimer = setTimeout(() => {
      this.#restartTimer = undefined;
      if (!this.#stopping) {
        this.#restarts += 1;
        this.#spawn();
      }
    }, retryInMs);
  }

  #onFrame(child: ChildProcess, header: Extract<CaptureEvent, { type: 'frame' }>, payload: Uint8Array): void {
    this.#framesRead += 1;
    this.#skippedNow = header.skipped;
    const frameNumber = this.#frameOffset + header.frameNumber;
    this.#lastFrameNumber = frameNumber;
    let released = false;
    const release = (): void => {
      if (!released) {
        released = true;
        send(child, { type: 'ack', frames: 1 });
      }
    };
    const frame: CapturedFrame = {
      data: payload,
      rows: header.rows,
      cols: header.cols,
      frameNumber,
      capturedAt: header.capturedAt,
      mediaTimeMs: header.mediaTimeMs,
    };
    try {
      this.handlers.onFrame(frame, release);
    } catch {
      release(); // a throwing consumer must not starve the capture of credits
    }
  }

  #onEvent(event: Exclude<CaptureEvent, { type: 'frame' }>): void {
    switch (event.type) {
      case 'opening':
        if (this.#state.kind !== 'reconnecting') {
          this.#setState({ kind: 'connecting', attempt: event.attempt });
        }
        return;
      case 'opened':
        this.#crashes = 0;
        this.#setState({ kind: 'connected', width: event.width, height: event.height, fps: event.fps, frameCount: event.frameCount });
        return;
      case 'reconnecting':
        this.#setState({
          kind: 'reconnecting',
          attempt: event.attempt,
          retryInMs: event.retryInMs,
          error: event.error,
          retryAt: Date.now() + event.retryInMs,
        });
        return;
      case 'skipped':
        this.#skippedNow = event.total;
        try {
          this.handlers.onSkipped?.(this.#skippedBefore + event.total);
        } catch {
          // a listener's bug must not break the capture
        }
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

function send(child: ChildProcess, message: ParentMessage): void {
  if (child.connected) {
    child.send(message, (error) => {
      void error; // the process is gone; its exit handler deals with it
    });
  }
}
