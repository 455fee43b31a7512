// Is a detected face good enough to enroll from? The engine measures
// (FaceQuality); this file decides, with enrollment's own, stricter or
// different, limits on top of the engine's issues.
//
// - blur, too_dark, too_bright, too_small, occluded, cut_off: the engine's
//   issue is honoured, and the limits below can add the same reason.
// - extreme_pose: the engine's issue is IGNORED here. The engine flags pose for
//   recognition, but enrollment deliberately asks for turned heads; its limit
//   is the ring's outer radius (pose-sectors.ts) plus a roll limit.
import { landmarksCutOff } from '../vision/quality.js';
import type { DetectedFace, QualityIssue } from '../vision/types.js';
import type { QualityVerdict } from './feedback-types.js';
import { DEFAULT_LANDMARK_RANGES, isPlausibleFace, type LandmarkRanges } from './landmark-geometry.js';
import { DEFAULT_POSE_SECTOR_PARAMS, classifyPose, type PoseSectorParams } from './pose-sectors.js';

export interface QualityParams {
  /** Square face box side in source pixels; the aligned crop is 112 px, much less is upsampled mush. */
  minFaceSize: number;
  /** Mean grey of the aligned crop (0..255). */
  minBrightness: number;
  maxBrightness: number;
  /**
   * Variance of the Laplacian of the aligned grey crop. Undefined: trust the
   * engine's 'blur' issue, whose scale it owns.
   */
  minSharpness: number | undefined;
  /** Faces with a lower detector score are treated as partly hidden. */
  occlusionMinDetectionScore: number;
  landmarkRanges: LandmarkRanges;
  /** This fraction of the box side beyond the image border makes the face cut off. */
  cutOffTolerance: number;
  /**
   * What must be inside the picture: the whole face box ('box': live frames, where the person can
   * step back) or the eyes, nose and mouth ('landmarks': still photos such as ID badges, cropped
   * tight around the face, which are whole when their features are).
   */
  cutOffBy: 'box' | 'landmarks';
  /** In-plane roll is undone by alignment, but beyond this the landmarks are unreliable. */
  maxRoll: number;
  /** Below this FaceQuality.score the frame is refused even without a named reason ('blur' is reported). */
  minScore: number;
}

export const DEFAULT_QUALITY_PARAMS: QualityParams = {
  minFaceSize: 64,
  minBrightness: 40,
  maxBrightness: 225,
  minSharpness: undefined,
  occlusionMinDetectionScore: 0.75,
  landmarkRanges: DEFAULT_LANDMARK_RANGES,
  cutOffTolerance: 0.05,
  cutOffBy: 'box',
  maxRoll: 35,
  minScore: 0,
};

const REASON_ORDER: readonly QualityIssue[] = ['cut_off', 'too_small', 'too_dark', 'too_bright', 'occluded', 'blur', 'extreme_pose'];

/** Still photos: the landmark rule (more lenient); live frames: the box rule. */
export const PHOTO_QUALITY_PARAMS: QualityParams = { ...DEFAULT_QUALITY_PARAMS, cutOffBy: 'landmarks' };

export function isCutOff(
  face: Pick<DetectedFace, 'box' | 'landmarks'>,
  width: number,
  height: number,
  tolerance: number,
  by: QualityParams['cutOffBy'] = 'box',
): boolean {
  const [x1, y1, x2, y2] = face.box;
  const margin = Math.max(x2 - x1, y2 - y1) * tolerance;
  if (by === 'landmarks') {
    return landmarksCutOff(face.landmarks, width, height, margin);
  }
  return x1 < -margin || y1 < -margin || x2 > width + margin || y2 > height + margin;
}

export function assessQuality(
  face: DetectedFace,
  frame: { width: number; height: number },
  params: QualityParams = DEFAULT_QUALITY_PARAMS,
  pose: PoseSectorParams = DEFAULT_POSE_SECTOR_PARAMS,
): QualityVerdict {
  const q = face.quality;
  // The engine's cut_off is replaced by this file's (same landmark rule, enrollment's tolerance).
  const reasons = new Set<QualityIssue>(q.issues.filter((i) => i !== 'extreme_pose' && i !== 'cut_off'));
  if (isCutOff(face, frame.width, frame.height, params.cutOffTolerance, params.cutOffBy)) {
    reasons.add('cut_off');
  }
  if (q.faceSize < params.minFaceSize) {
    reasons.add('too_small');
  }
  if (q.brightness < params.minBrightness) {
    reasons.add('too_dark');
  }
  if (q.brightness > params.maxBrightness) {
    reasons.add('too_bright');
  }
  if (face.score < params.occlusionMinDetectionScore || !isPlausibleFace(face.landmarks, params.landmarkRanges)) {
    reasons.add('occluded');
  }
  if ((params.minSharpness !== undefined && q.sharpness < params.minSharpness) || q.score < params.minScore) {
    reasons.add('blur');
  }
  if (classifyPose(q.yaw, q.pitch, pose).zone === 'extreme' || Math.abs(q.roll) > params.maxRoll) {
    reasons.add('extreme_pose');
  }
  const ordered = REASON_ORDER.filter((r) => reasons.has(r));
  return { ok: ordered.length === 0, score: q.score, reasons: ordered };
}
