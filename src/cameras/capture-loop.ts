// The blocking read loop that runs inside a camera's capture worker: open the
// source, read frames, pace files in real time, post frames to the main thread,
// reconnect with back-off. Every OpenCV call here is synchronous, which is why
// it lives in its own thread. Sleeps use Atomics.wait on the shared control
// block so stop() wakes the thread at once.
import { backoffDelay } from './backoff.js';
import { CONTROL_IN_FLIGHT, CONTROL_STOP, type CaptureWorkerData, type CaptureWorkerMessage } from './capture-protocol.js';
import { loadOpenCv } from './opencv.js';

type OpenCv = ReturnType<typeof loadOpenCv>;
type Capture = InstanceType<OpenCv['VideoCapture']>;

const now = (): number => performance.timeOrigin + performance.now();

export function runCaptureLoop(data: CaptureWorkerData, post: (message: CaptureWorkerMessage, transfer?: ArrayBuffer[]) => void): void {
  const cv = loadOpenCv();
  const control = new Int32Array(data.control);
  const stopped = (): boolean => Atomics.load(control, CONTROL_STOP) !== 0;
  /** Sleeps up to ms; returns early (true) when stop was requested. */
  const sleep = (ms: number): boolean => {
    if (ms > 0 && !stopped()) {
      Atomics.wait(control, CONTROL_STOP, 0, ms);
    }
    return stopped();
  };

  let frameNumber = 0;
  let skipped = 0;
  let failures = 0;

  while (!stopped()) {
    post({ type: 'opening', attempt: failures });
    let capture: Capture | undefined;
    let framesThisOpen = 0;
    let error: string | undefined;
    try {
      capture = openCapture(cv, data);
      const fileFps = capture.get(cv.CAP_PROP_FPS);
      const fps = Number.isFinite(fileFps) && fileFps > 0 ? fileFps : (data.fps ?? 25);
      const frameCount = capture.get(cv.CAP_PROP_FRAME_COUNT);
      const isFile = data.source.kind === 'file';
      let width = capture.get(cv.CAP_PROP_FRAME_WIDTH);
      let height = capture.get(cv.CAP_PROP_FRAME_HEIGHT);
      let announced = false;
      const openedAt = now();

      while (!stopped()) {
        const mat = capture.read();
        if (mat.empty) {
          mat.release();
          break;
        }
        const rows = mat.rows;
        const cols = mat.cols;
        const buffer = mat.getData();
        mat.release();
        if (!announced || rows !== height || cols !== width) {
          width = cols;
          height = rows;
          announced = true;
          post({ type: 'opened', width, height, fps, frameCount: isFile && frameCount > 0 ? frameCount : null });
        }
        // A frame was read: the source works, so the next failure starts the back-off afresh.
        failures = 0;
        const mediaTimeMs = isFile ? (framesThisOpen * 1000) / fps : null;
        framesThisOpen += 1;
        frameNumber += 1;

        if (isFile && data.realtime) {
          // Play the file like a camera: frame k is due k/fps after the first.
          if (sleep(openedAt + mediaTimeMs! - now())) {
            break;
          }
        }
        if (!isFile || data.realtime) {
          if (Atomics.load(control, CONTROL_IN_FLIGHT) >= data.maxInFlight) {
            skipped += 1; // the consumer is behind: a live source drops, it never queues
            continue;
          }
        } else {
          // Lossless: wait until the consumer has room.
          while (!stopped()) {
            const inFlight = Atomics.load(control, CONTROL_IN_FLIGHT);
            if (inFlight < data.maxInFlight) {
              break;
            }
            Atomics.wait(control, CONTROL_IN_FLIGHT, inFlight, 100);
          }
          if (stopped()) {
            break;
          }
        }
        const arrayBuffer = toTransferable(buffer);
        Atomics.add(control, CONTROL_IN_FLIGHT, 1);
        post({ type: 'frame', frameNumber, capturedAt: now(), mediaTimeMs, rows, cols, data: arrayBuffer, skipped }, [arrayBuffer]);
      }
      if (!stopped() && isFile) {
        if (framesThisOpen > 0 && data.source.kind === 'file' && !data.source.loop) {
          post({ type: 'ended', frames: framesThisOpen });
          break;
        }
        if (framesThisOpen === 0) {
          error = 'file has no readable frames';
        }
        // A looping file re-opens at once (failures is 0 after a good pass).
      } else if (!stopped()) {
        error = framesThisOpen === 0 ? 'source opened but gave no frame' : 'stream ended';
      }
    } catch (cause) {
      error = typeof cause === 'string' ? cause : cause instanceof Error ? cause.message : String(cause);
    } finally {
      capture?.release();
    }
    if (stopped()) {
      break;
    }
    if (error !== undefined) {
      const retryInMs = backoffDelay(failures, data.backoff);
      post({ type: 'reconnecting', attempt: failures + 1, retryInMs, error });
      failures += 1;
      if (sleep(retryInMs)) {
        break;
      }
    }
  }
  post({ type: 'stopped' });
}

function openCapture(cv: OpenCv, data: CaptureWorkerData): Capture {
  const source = data.source;
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
    if (data.width !== undefined) {
      capture.set(cv.CAP_PROP_FRAME_WIDTH, data.width);
    }
    if (data.height !== undefined) {
      capture.set(cv.CAP_PROP_FRAME_HEIGHT, data.height);
    }
    if (data.fps !== undefined) {
      capture.set(cv.CAP_PROP_FPS, data.fps);
    }
  }
  return capture;
}

/** Mat.getData() gives a Buffer that owns its ArrayBuffer; copy only if it is a slice of a larger one. */
function toTransferable(buffer: Buffer): ArrayBuffer {
  if (buffer.byteOffset === 0 && buffer.byteLength === buffer.buffer.byteLength && buffer.buffer instanceof ArrayBuffer) {
    return buffer.buffer;
  }
  const copy = new ArrayBuffer(buffer.byteLength);
  new Uint8Array(copy).set(buffer);
  return copy;
}
