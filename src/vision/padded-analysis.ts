// A second look at pictures where the detector found no face: ID-badge and passport photos are
// cropped so tight that the face touches the borders, and the detector, trained on faces with
// some surroundings, can miss it. The picture is padded (its border pixels repeated) and analysed
// again; boxes and landmarks are mapped back to the original picture, and "cut off" is judged
// there from the landmarks (quality.ts landmarksCutOff). sharp runs on libuv's thread pool, so the
// padding never blocks the event loop.
import sharp from 'sharp';
import { landmarksCutOff } from './quality.js';
import type { AnalyzeOptions, DetectedFace, FivePoints, FrameAnalysis, QualityIssue } from './types.js';

export interface PaddedRetryOptions {
  /** Padding on each side, as a fraction of the picture's larger side. Default 0.3. */
  fraction?: number;
  /** Pictures with a larger side above this are not retried (camera frames, large photos). Default 1280. */
  maxSide?: number;
}

type Analyze = (image: Uint8Array, options: AnalyzeOptions) => Promise<FrameAnalysis>;

export async function analyzeWithPaddedRetry(
  analyze: Analyze,
  image: Uint8Array,
  options: AnalyzeOptions,
  retry: PaddedRetryOptions = {},
): Promise<FrameAnalysis & { padded: boolean }> {
  const first = await analyze(image, options);
  const side = Math.max(first.width, first.height);
  if (first.faces.length > 0 || side > (retry.maxSide ?? 1280)) {
    return { ...first, padded: false };
  }
  const pad = Math.max(8, Math.round(side * (retry.fraction ?? 0.3)));
  let padded: Uint8Array;
  try {
    padded = await sharp(image).extend({ top: pad, bottom: pad, left: pad, right: pad, extendWith: 'copy' }).png().toBuffer();
  } catch {
    // sharp cannot read what OpenCV could: keep the first answer.
    return { ...first, padded: false };
  }
  const second = await analyze(padded, options);
  const faces = second.faces.flatMap((f) => {
    const moved = shift(f, pad);
    const [x1, y1, x2, y2] = moved.box;
    const cx = (x1 + x2) / 2;
    const cy = (y1 + y2) / 2;
    // A "face" found in the repeated border is an artefact of the padding.
    return cx >= 0 && cy >= 0 && cx <= first.width && cy <= first.height ? [moved] : [];
  });
  for (const f of faces) {
    const issues: QualityIssue[] = f.quality.issues.filter((i) => i !== 'cut_off');
    if (landmarksCutOff(f.landmarks, first.width, first.height)) {
      issues.push('cut_off');
    }
    f.quality = { ...f.quality, issues };
    if (f.liveness !== undefined) {
      // The liveness crop held repeated border pixels, not the face's surroundings: not evidence.
      f.livenessContext = 0;
    }
  }
  return { ...second, width: first.width, height: first.height, faces, padded: true };
}

function shift(face: DetectedFace, pad: number): DetectedFace {
  const [x1, y1, x2, y2] = face.box;
  const landmarks = face.landmarks.map(([x, y]) => [x - pad, y - pad] as const) as unknown as FivePoints;
  return { ...face, box: [x1 - pad, y1 - pad, x2 - pad, y2 - pad], landmarks };
}
