// Loads @u4/opencv4nodejs (CommonJS) without its auto-build and banner. Only
// for worker threads: every call is synchronous and may block.
import { createRequire } from 'node:module';

type OpenCv = typeof import('@u4/opencv4nodejs');

let cached: OpenCv | undefined;

export function loadOpenCv(): OpenCv {
  if (cached === undefined) {
    // The package reads this at load time; otherwise it tries to build OpenCV.
    process.env.OPENCV4NODEJS_DISABLE_AUTOBUILD = '1';
    const require = createRequire(import.meta.url);
    (require('@u4/opencv-build') as { Log: { silence: boolean } }).Log.silence = true;
    cached = require('@u4/opencv4nodejs') as OpenCv;
  }
  return cached;
}
