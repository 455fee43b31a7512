// SCRFD output decoding (InsightFace `model_zoo/scrfd.py`): per stride a grid
// of anchor centres (2 anchors per location for the 3-stride models), scores
// already sigmoid-activated, boxes as distances (left, top, right, bottom) and
// keypoints as offsets from the anchor centre, both in units of the stride.
// Pure math: no ONNX Runtime, no OpenCV.
import type { Box, FivePoints, Point } from './types.js';

export interface ScrfdLayout {
  strides: readonly number[];
  anchorsPerLocation: number;
  hasKeypoints: boolean;
  /** Output names per stride, in stride order. */
  scores: readonly string[];
  boxes: readonly string[];
  keypoints: readonly string[];
}

/**
 * Works out which output is which. Exports with named outputs
 * (score_8, bbox_8, kps_8, ...) are matched by name; the buffalo/antelope
 * files have numeric names, so like InsightFace we fall back to position:
 * all scores (by stride), then all boxes, then all keypoints.
 */
export function scrfdLayout(outputNames: readonly string[]): ScrfdLayout {
  const count = outputNames.length;
  let fmc: number;
  let hasKeypoints: boolean;
  switch (count) {
    case 6:
      [fmc, hasKeypoints] = [3, false];
      break;
    case 9:
      [fmc, hasKeypoints] = [3, true];
      break;
    case 10:
      [fmc, hasKeypoints] = [5, false];
      break;
    case 15:
      [fmc, hasKeypoints] = [5, true];
      break;
    default:
      throw new Error(`not an SCRFD model: ${count} outputs (expected 6, 9, 10 or 15)`);
  }
  const strides = fmc === 3 ? [8, 16, 32] : [8, 16, 32, 64, 128];
  const anchorsPerLocation = fmc === 3 ? 2 : 1;
  const named = (prefix: string): string[] | undefined => {
    const names = strides.map((s) => `${prefix}_${s}`);
    return names.every((n) => outputNames.includes(n)) ? names : undefined;
  };
  const byName = named('score');
  if (byName) {
    return {
      strides,
      anchorsPerLocation,
      hasKeypoints,
      scores: byName,
      boxes: named('bbox') ?? [],
      keypoints: hasKeypoints ? (named('kps') ?? []) : [],
    };
  }
  return {
    strides,
    anchorsPerLocation,
    hasKeypoints,
    scores: outputNames.slice(0, fmc),
    boxes: outputNames.slice(fmc, 2 * fmc),
    keypoints: hasKeypoints ? outputNames.slice(2 * fmc, 3 * fmc) : [],
  };
}

export interface ScrfdCandidate {
  /** In model-input pixels. */
  box: Box;
  score: number;
  keypoints?: FivePoints;
}

export interface ScrfdStrideOutput {
  stride: number;
  scores: ArrayLike<number>;
  boxes: ArrayLike<number>;
  keypoints?: ArrayLike<number>;
}

/** Every anchor with score >= threshold, decoded to input-pixel boxes and keypoints (not yet NMS'd). */
export function decodeScrfd(
  outputs: readonly ScrfdStrideOutput[],
  inputWidth: number,
  inputHeight: number,
  anchorsPerLocation: number,
  threshold: number,
): ScrfdCandidate[] {
  const out: ScrfdCandidate[] = [];
  for (const { stride, scores, boxes, keypoints } of outputs) {
    const h = Math.floor(inputHeight / stride);
    const w = Math.floor(inputWidth / stride);
    const n = h * w * anchorsPerLocation;
    if (scores.length < n || boxes.length < 4 * n || (keypoints && keypoints.length < 10 * n)) {
      throw new RangeError(
        `SCRFD stride ${stride}: expected ${n} anchors for ${inputWidth}x${inputHeight}, got ${scores.length} scores`,
      );
    }
    for (let i = 0; i < n; i++) {
      const score = scores[i]!;
      if (score < threshold) {
        continue;
      }
      // Anchors are laid out row-major over the grid, anchors of a location adjacent.
      const loc = Math.floor(i / anchorsPerLocation);
      const cx = (loc % w) * stride;
      const cy = Math.floor(loc / w) * stride;
      const box: Box = [
        cx - boxes[4 * i]! * stride,
        cy - boxes[4 * i + 1]! * stride,
        cx + boxes[4 * i + 2]! * stride,
        cy + boxes[4 * i + 3]! * stride,
      ];
      const candidate: ScrfdCandidate = { box, score };
      if (keypoints) {
        const pts: Point[] = [];
        for (let k = 0; k < 5; k++) {
          pts.push([cx + keypoints[10 * i + 2 * k]! * stride, cy + keypoints[10 * i + 2 * k + 1]! * stride]);
        }
        candidate.keypoints = pts as unknown as FivePoints;
      }
      out.push(candidate);
    }
  }
  return out;
}
