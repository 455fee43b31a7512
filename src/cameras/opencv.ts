// Loads @u4/opencv4nodejs (CommonJS) without its auto-build and banner, for
// the capture process. Never load it in a second thread of the same process:
// its class templates are process-wide statics (see capture.ts).
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
