// The read loop of one camera, run in its capture process: open the source,
// read frames, pace files in real time, emit frames, reconnect with back-off.
// OpenCV calls block (a read waits for the next frame of a live source), which
// is why this runs in its own process; between reads the loop yields so the
// parent's acks and stop request get through.
import { backoffDelay } from './backoff.js';
import type { CaptureEvent, CaptureSettings, FrameHeader } from './capture-protocol.js';
import { loadOpenCv } from './opencv.js';

type OpenCv = ReturnType<typeof loadOpenCv>;
type Capture = InstanceType<OpenCv['VideoCapture']>;

/** What the loop needs from its host (the process entry, or a test). */
export interface CaptureLoopHost {
  stopped(): boolean;
  /** Frames emitted and not yet acknowledged by the consumer. */
  inFlight(): number;
  /** Resolves after ms, or early (true) when stop is requested. */
  sleep(ms: number): Promise<boolean>;
  /** Resolves when a frame is acknowledged or stop is requested. */
  nextAck(): Promise<void>;
  emit(event: Exclude<CaptureEvent, FrameHeader>): void;
  /** Sends a frame; resolves once it is handed to the OS (back-pressure from the pipe). */
  emitFrame(header: FrameHeader, pixels: Buffer): Promise<void>;
}

const now = (): number => performance.timeOrigin + performance.now();

export async function runCaptureLoop(settings: CaptureSettings, host: CaptureLoopHost): Promise<void> {
  const cv = loadOpenCv();
  let frameNumber = 0;
  let skipped = 0;
  let failures = 0;

  while (!host.stopped()) {
    host.emit({ type: 'opening', attempt: failures });
    let capture: Capture | undefined;
    let framesThisOpen = 0;
    let error: string | undefined;
    try {
      capture = openCapture(cv, settings);
      const reportedFps = capture.get(cv.CAP_PROP_FPS);
      const fps = Number.isFinite(reportedFps) && reportedFps > 0 && reportedFps < 1000 ? reportedFps : (settings.fps ?? 25);
      const frameCount = capture.get(cv.CAP_PROP_FRAME_COUNT);
      const isFile = settings.source.kind === 'file';
      const lossless = isFile && !settings.realtime;
      let width = 0;
      let height = 0;
      const openedAt = now();

      while (!host.stopped()) {
        const mat = capture.read();
        if (mat.empty) {
          mat.release();
          break;
        }
        const rows = mat.rows;
        const cols = mat.cols;
        const pixels = mat.getData();
        mat.release();
        if (rows !== height || cols !== width) {
          width = cols;
          height = rows;
          host.emit({ type: 'opened', width, height, fps, frameCount: isFile && frameCount > 0 ? frameCount : null });
        }
        // A frame was read: the source works, so the next failure starts the back-off afresh.
        failures = 0;
        const mediaTimeMs = isFile ? (framesThisOpen * 1000) / fps : null;
        framesThisOpen += 1;
        frameNumber += 1;

        if (isFile && settings.realtime) {
          // Play the file like a camera: frame k is due k/fps after the first.
          if (await host.sleep(openedAt + (mediaTimeMs ?? 0) - now())) {
            break;
          }
        }
        if (lossless) {
          while (!host.stopped() && host.inFlight() >= settings.maxInFlight) {
            await host.nextAck();
          }
          if (host.stopped()) {
            break;
          }
        } else if (host.inFlight() >= settings.maxInFlight) {
          // The consumer is behind: a live source drops frames, it never queues them.
          skipped += 1;
          host.emit({ type: 'skipped', total: skipped });
          await yieldToEvents();
          continue;
        }
        await host.emitFrame(
          { type: 'frame', frameNumber, capturedAt: now(), mediaTimeMs, rows, cols, byteLength: pixels.length, skipped },
          pixels,
        );
        await yieldToEvents();
      }
      if (!host.stopped()) {
        if (isFile && settings.source.kind === 'file' && !settings.source.loop && framesThisOpen > 0) {
          host.emit({ type: 'ended', frames: framesThisOpen });
          break;
        }
        if (framesThisOpen === 0) {
          error = isFile ? 'file has no readable frames' : 'source opened but gave no frame';
        } else if (!isFile) {
          error = 'stream ended';
        }
        // A looping file that played through re-opens at once.
      }
    } catch (cause) {
      // The API shows `error` to anyone who may read cameras: a generic text, never OpenCV's
      // message (it can name hosts, paths and ports). The detail goes to the server log.
      const detail = typeof cause === 'string' ? cause : cause instanceof Error ? cause.message : String(cause);
      process.stderr.write(`capture: source failed to open: ${detail}\n`);
      error = 'the source could not be opened';
    } finally {
      capture?.release();
    }
    if (host.stopped()) {
      break;
    }
    if (error !== undefined) {
      const retryInMs = backoffDelay(failures, settings.backoff);
      failures += 1;
      host.emit({ type: 'reconnecting', attempt: failures, retryInMs, error });
      if (await host.sleep(retryInMs)) {
        break;
      }
    }
  }
  host.emit({ type: 'stopped' });
}

function openCapture(cv: OpenCv, settings: CaptureSettings): Capture {
  const source = settings.source;
  let capture: Capture;
  switch (source.kind) {
    case 'device':
      try {
        capture = new cv.VideoCapture(source.index, cv.CAP_V4L2);
      } catch {
        capture = new cv.VideoCapture(source.index, cv.CAP_ANY);
      }
      // Keep only the newest frame in the driver so latency stays one frame.
      capture.set(cv.CAP_PROP_BUFFERSIZE, 1);
      break;
    case 'rtsp':
    case 'http':
      capture = new cv.VideoCapture(source.url, cv.CAP_FFMPEG);
      break;
    case 'file':
      capture = new cv.VideoCapture(source.path, cv.CAP_FFMPEG);
      break;
  }
  if (source.kind !== 'file') {
    if (settings.width !== undefined) {
      capture.set(cv.CAP_PROP_FRAME_WIDTH, settings.width);
    }
    if (settings.height !== undefined) {
      capture.set(cv.CAP_PROP_FRAME_HEIGHT, settings.height);
    }
    if (settings.fps !== undefined) {
      capture.set(cv.CAP_PROP_FPS, settings.fps);
    }
  }
  return capture;
}

const yieldToEvents = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));
