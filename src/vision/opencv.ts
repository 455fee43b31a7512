// Loads @u4/opencv4nodejs (CommonJS) without its auto-build and start-up banner.
// Use synchronous calls only: the *Async variants crash V8 with memory tracking
// on (STACK.md).
// WARNING: the addon is not context-aware (NAN, static constructor handles).
// Load it in ONE thread per process only: used from a second thread (two
// workers, or a worker and the main thread) it aborts the process with
// "v8::Object::GetInternalField() Internal field out of bounds" or "Cannot
// create a handle without a HandleScope". The face workers do not use it (they
// use sharp + raster.ts); tests, the CLI and the benchmark's frame reader may.
import { createRequire } from 'node:module';
import type * as OpenCV from '@u4/opencv4nodejs';

// Must be set before the module loads, or it tries to build OpenCV (STACK.md).
process.env.OPENCV4NODEJS_DISABLE_AUTOBUILD = '1';
const require = createRequire(import.meta.url);
(require('@u4/opencv-build') as { Log: { silence: boolean } }).Log.silence = true;

export const cv = (require('@u4/opencv4nodejs') as { cv?: typeof OpenCV.cv } & typeof OpenCV.cv).cv ??
  (require('@u4/opencv4nodejs') as typeof OpenCV.cv);
export type Mat = OpenCV.Mat;
