// The one loader of @u4/opencv4nodejs (CommonJS), without its auto-build and
// start-up banner. Used by the capture process (capture-loop.ts) and the
// benchmark's video reader; the face workers do not use OpenCV (sharp +
// src/vision/raster.ts instead).
// WARNING: the addon is not context-aware (NAN, class templates in process-wide
// statics). Load it in ONE thread per process: from a second thread (two
// workers, a worker and the main thread, or a new thread after the first
// exited) it aborts the process ("Internal field out of bounds", "Cannot
// create a handle without a HandleScope", "node->IsInUse()"). Hence a capture
// process per camera (capture.ts). Use synchronous calls only: the *Async
// variants crash V8 with memory tracking on (STACK.md).
import { createRequire } from 'node:module';
import type * as OpenCvModule from '@u4/opencv4nodejs';

type OpenCv = typeof OpenCvModule;

let cached: OpenCv | undefined;

export function loadOpenCv(): OpenCv {
  if (cached === undefined) {
    // The package reads this at load time; otherwise it tries to build OpenCV.
    process.env.OPENCV4NODEJS_DISABLE_AUTOBUILD = '1';
    // OpenCV's own warnings (e.g. GStreamer probing) are noise for a camera that fails to open.
    process.env.OPENCV_LOG_LEVEL = 'ERROR';
    const require = createRequire(import.meta.url);
    (require('@u4/opencv-build') as { Log: { silence: boolean } }).Log.silence = true;
    cached = require('@u4/opencv4nodejs') as OpenCv;
  }
  return cached;
}
