// Loads @u4/opencv4nodejs (CommonJS) without its auto-build and start-up banner.
// Use synchronous calls only, and only inside worker threads on the server's
// request path: the *Async variants crash V8 with memory tracking on (STACK.md).
import { createRequire } from 'node:module';
import type * as OpenCV from '@u4/opencv4nodejs';

// Must be set before the module loads, or it tries to build OpenCV (STACK.md).
process.env.OPENCV4NODEJS_DISABLE_AUTOBUILD = '1';
const require = createRequire(import.meta.url);
(require('@u4/opencv-build') as { Log: { silence: boolean } }).Log.silence = true;

export const cv = (require('@u4/opencv4nodejs') as { cv?: typeof OpenCV.cv } & typeof OpenCV.cv).cv ??
  (require('@u4/opencv4nodejs') as typeof OpenCV.cv);
export type Mat = OpenCV.Mat;
