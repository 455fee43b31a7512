// Entry of a camera's capture worker thread: runs the blocking read loop and
// posts frames and state to the main thread (see src/cameras/capture.ts).
import { parentPort, workerData } from 'node:worker_threads';
import type { CaptureWorkerData } from '../cameras/capture-protocol.js';
import { runCaptureLoop } from '../cameras/capture-loop.js';

const port = parentPort;
if (port === null) {
  throw new Error('capture-worker must run in a worker thread');
}
runCaptureLoop(workerData as CaptureWorkerData, (message, transfer) => port.postMessage(message, transfer ?? []));
