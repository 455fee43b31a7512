// Entry of a camera's capture process (see src/cameras/capture.ts for why a
// process): waits for its settings over IPC, runs the read loop, writes
// frames to stdout, exits when told to stop or when the server goes away.
import { runCaptureLoop } from './capture-loop.js';
import { startCaptureHost } from './capture-host.js';

startCaptureHost(runCaptureLoop);
