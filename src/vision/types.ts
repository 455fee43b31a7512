// Shapes that cross the worker boundary and the engine interface. Plain data
// only (structured-clone friendly): typed arrays, numbers, strings.
import type { ModelPackId } from '../domain/ids.js';

/** Axis-aligned box in source-image pixels: x1, y1, x2, y2. */
export type Box = readonly [number, number, number, number];
export type Point = readonly [number, number];
/** Left eye, right eye, nose tip, left mouth corner, right mouth corner (image left/right). */
export type FivePoints = readonly [Point, Point, Point, Point, Point];

export interface FaceQuality {
  /** Variance of the Laplacian on the aligned grey crop. */
  sharpness: number;
  /** Mean grey level of the aligned crop, 0..255. */
  brightness: number;
  /** Side of the square face box in source pixels. */
  faceSize: number;
  /** Degrees; positive yaw = face turned to the person's left (image right). Positive pitch = looking up. */
  yaw: number;
  pitch: number;
  roll: number;
  /** 0..1 overall score used to rank frames. */
  score: number;
  /** Reasons the face is not good enough to enroll or trust; empty when fine. */
  issues: QualityIssue[];
}

export type QualityIssue = 'blur' | 'too_dark' | 'too_bright' | 'too_small' | 'occluded' | 'extreme_pose' | 'cut_off';

export interface DetectedFace {
  box: Box;
  score: number;
  landmarks: FivePoints;
  quality: FaceQuality;
  /** L2-normalised embedding, present when the request asked for embeddings. */
  embedding?: Float32Array;
  /** Aligned 112x112 BGR crop as JPEG, present when the request asked for crops. */
  alignedJpeg?: Uint8Array;
  /** P(live) 0..1 from the passive liveness model, present when asked and the model is loaded. */
  liveness?: number;
  /**
   * With `liveness`: the side of the crop the model saw over the side of the face box (2.7 when
   * the picture holds the face's surroundings; less when the face fills it; 0 when the crop held
   * invented pixels). Below 1 the score is a guess (liveness/crop-context.ts).
   */
  livenessContext?: number;
  /** The 68 iBUG landmarks, flat [x0, y0, ...] in image pixels, when asked and the pack has them. */
  landmarks68?: Float64Array;
}

export interface FrameAnalysis {
  width: number;
  height: number;
  modelId: ModelPackId;
  /** Faces sorted by detection score, highest first. */
  faces: DetectedFace[];
  timings: Partial<Record<'decode' | 'detect' | 'landmarks' | 'align' | 'embed' | 'quality' | 'liveness', number>>;
}

export interface AnalyzeOptions {
  /** Compute embeddings (default true). */
  embed?: boolean;
  /** Return the aligned crop as JPEG (for snapshots and augmentation). */
  alignedCrops?: boolean;
  /** Score every face with the passive liveness model (when loaded; LIVENESS_MODE != off). */
  liveness?: boolean;
  /** Return the 68 landmarks (the kiosk challenge reads head turns from them). */
  landmarks68?: boolean;
  /** Ignore faces whose box side is below this many pixels. */
  minFaceSize?: number;
  maxFaces?: number;
  signal?: AbortSignal;
}
