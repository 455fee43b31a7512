// Per-face quality from the aligned crop and the geometry. The thresholds were
// chosen on ../shared/faces and the walk-by video (see test/vision); they flag
// faces not good enough to enroll, they do not block recognition.
import { grey, laplacianVariance, type Raster } from './raster.js';
import { estimatePose } from './pose.js';
import type { Box, FaceQuality, FivePoints, QualityIssue } from './types.js';

export const QUALITY_LIMITS = {
  /** Laplacian variance of the 112x112 grey crop below this = blurred. */
  minSharpness: 40,
  minBrightness: 50,
  maxBrightness: 210,
  /** Square face box side in source pixels. */
  minFaceSize: 48,
  maxYaw: 45,
  maxPitch: 35,
  /** Part of the box side a landmark may lie outside the image before the face counts as cut off. */
  cutOffTolerance: 0,
} as const;

/**
 * A face is cut off when one of its five landmarks (eyes, nose tip, mouth corners) lies outside
 * the picture: a face whose features are all inside is whole, even when its detector box (chin,
 * forehead, ears) reaches past the border, as on tight ID-badge photos.
 */
export function landmarksCutOff(points: FivePoints, width: number, height: number, margin = 0): boolean {
  return points.some(([x, y]) => x < -margin || y < -margin || x > width + margin || y > height + margin);
}

export interface QualityInput {
  /** Aligned crop. */
  crop: Raster;
  box: Box;
  faceSize: number;
  points: FivePoints;
  imageWidth: number;
  imageHeight: number;
}

export function assessQuality(q: QualityInput): FaceQuality {
  const g = grey(q.crop);
  let sum = 0;
  for (let i = 0; i < g.length; i++) {sum += g[i]!;}
  const brightness = sum / g.length;
  const sharpness = laplacianVariance(g, q.crop.width, q.crop.height);
  const { yaw, pitch, roll } = estimatePose(q.points);
  const L = QUALITY_LIMITS;

  const [x1, y1, x2, y2] = q.box;
  const cutOff = landmarksCutOff(q.points, q.imageWidth, q.imageHeight, L.cutOffTolerance * Math.max(x2 - x1, y2 - y1));

  const issues: QualityIssue[] = [];
  if (sharpness < L.minSharpness) {issues.push('blur');}
  if (brightness < L.minBrightness) {issues.push('too_dark');}
  if (brightness > L.maxBrightness) {issues.push('too_bright');}
  if (q.faceSize < L.minFaceSize) {issues.push('too_small');}
  if (Math.abs(yaw) > L.maxYaw || Math.abs(pitch) > L.maxPitch) {issues.push('extreme_pose');}
  if (cutOff) {issues.push('cut_off');}

  // A smooth 0..1 score to rank frames of the same person.
  const clamp01 = (v: number): number => Math.max(0, Math.min(1, v));
  const score =
    clamp01(sharpness / (4 * L.minSharpness)) *
    clamp01(q.faceSize / 112) *
    clamp01(1 - Math.abs(brightness - 128) / 160) *
    Math.cos((Math.min(Math.abs(yaw), 89) * Math.PI) / 180) *
    Math.cos((Math.min(Math.abs(pitch), 89) * Math.PI) / 180) *
    (cutOff ? 0.5 : 1);

  const r = (v: number): number => Math.round(v * 100) / 100;
  return {
    sharpness: r(sharpness),
    brightness: r(brightness),
    faceSize: r(q.faceSize),
    yaw: r(yaw),
    pitch: r(pitch),
    roll: r(roll),
    score: r(score),
    issues,
  };
}
