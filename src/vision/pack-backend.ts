// What the pipeline needs from a model pack: find faces with five alignment
// points, and embed aligned 112x112 crops. One implementation per pack family.
import type { ModelPackId } from '../domain/ids.js';
import type { Raster } from './raster.js';
import type { Box, FivePoints, FrameAnalysis } from './types.js';

export type StageTimings = FrameAnalysis['timings'];

export interface FaceCandidate {
  /** Detector box in source pixels (may extend past the image). */
  box: Box;
  /** Square box the pack used around the face (faceplugin: side = box height). */
  squareBox: Box;
  score: number;
  /** Alignment points in source pixels. */
  points: FivePoints;
  /** The 68 iBUG landmarks in source pixels, flat [x0, y0, ...], when the pack has them (faceplugin). */
  landmarks68?: Float64Array;
}

export interface PackBackend {
  readonly modelId: ModelPackId;
  readonly embeddingSize: number;
  /** Detect and locate landmarks; adds 'detect' (and 'landmarks') to `timings`. */
  detect(image: Raster, timings: StageTimings): Promise<FaceCandidate[]>;
  /** One L2-normalised embedding per 112x112 crop, batched where the model allows. */
  embed(crops: readonly Raster[]): Promise<Float32Array[]>;
  close(): Promise<void>;
}

/** Square box with the same centre and side = the box height (faceplugin recipe). */
export function squareByHeight(box: Box): Box {
  const side = box[3] - box[1];
  const cx = (box[0] + box[2]) / 2;
  return [cx - side / 2, box[1], cx + side / 2, box[3]];
}

export function elapsed(start: number): number {
  return Math.round((performance.now() - start) * 1000) / 1000;
}
