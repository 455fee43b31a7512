// Factories for synthetic engine output: faces with a given pose, size and
// identity, so the enrollment logic can be driven through exact pose sequences.
import { modelPackId } from '../../src/domain/ids.js';
import { l2normalize } from '../../src/enrollment/embedding-math.js';
import { createRng as seededRandom } from '../../src/math/seeded-random.js';
import type { DetectedFace, FivePoints, FrameAnalysis, QualityIssue } from '../../src/vision/types.js';

export const DIM = 512;

function gaussian(rnd: () => number): number {
  return Math.sqrt(-2 * Math.log(1 - rnd())) * Math.cos(2 * Math.PI * rnd());
}

/** A random unit vector: one "person". Random 512-d vectors have cosine ~0 to each other. */
export function personVector(seed: number): Float32Array {
  const rnd = seededRandom(seed);
  return l2normalize(Float32Array.from({ length: DIM }, () => gaussian(rnd)));
}

/** One frame's embedding of `person`: cosine to the person vector is about 1 / sqrt(1 + spread^2). */
export function frameEmbedding(person: Float32Array, seed: number, spread = 0.5): Float32Array {
  const rnd = seededRandom(seed);
  const noise = Float32Array.from({ length: DIM }, () => (gaussian(rnd) * spread) / Math.sqrt(DIM));
  return l2normalize(person.map((v, i) => v + (noise[i] ?? 0)));
}

export interface FaceSpec {
  yaw?: number;
  pitch?: number;
  roll?: number;
  /** Box side in pixels. */
  size?: number;
  cx?: number;
  cy?: number;
  score?: number;
  brightness?: number;
  sharpness?: number;
  qualityScore?: number;
  issues?: QualityIssue[];
  embedding?: Float32Array;
  landmarks?: FivePoints;
}

export const FRAME_W = 640;
export const FRAME_H = 480;

/** Five points shaped like a face in the box, the nose moved by the yaw as src/vision/pose.ts models it. */
export function landmarksFor(cx: number, cy: number, size: number, yaw: number): FivePoints {
  const d = size * 0.32;
  const eyeY = cy - size * 0.12;
  const noseShift = 0.6 * d * Math.sin((yaw * Math.PI) / 180);
  return [
    [cx - d / 2, eyeY],
    [cx + d / 2, eyeY],
    [cx + noseShift, eyeY + 0.57 * d],
    [cx - 0.46 * d, eyeY + 1.16 * d],
    [cx + 0.46 * d, eyeY + 1.16 * d],
  ];
}

export function face(spec: FaceSpec = {}): DetectedFace {
  const size = spec.size ?? 200;
  const cx = spec.cx ?? FRAME_W / 2;
  const cy = spec.cy ?? FRAME_H / 2;
  const yaw = spec.yaw ?? 0;
  return {
    box: [cx - size / 2, cy - size / 2, cx + size / 2, cy + size / 2],
    score: spec.score ?? 0.98,
    landmarks: spec.landmarks ?? landmarksFor(cx, cy, size, yaw),
    quality: {
      sharpness: spec.sharpness ?? 300,
      brightness: spec.brightness ?? 120,
      faceSize: size,
      yaw,
      pitch: spec.pitch ?? 0,
      roll: spec.roll ?? 0,
      score: spec.qualityScore ?? 0.8,
      issues: spec.issues ?? [],
    },
    ...(spec.embedding ? { embedding: spec.embedding } : {}),
  };
}

export function analysis(faces: DetectedFace[]): FrameAnalysis {
  return { width: FRAME_W, height: FRAME_H, modelId: modelPackId('test'), faces, timings: {} };
}

/** (yaw, pitch) at `magnitude` degrees in the direction `angle` (0 = left, 90 = up), undoing pitchGain. */
export function poseAt(angle: number, magnitude: number, pitchGain = 1.25): { yaw: number; pitch: number } {
  const r = (angle * Math.PI) / 180;
  return { yaw: magnitude * Math.cos(r), pitch: (magnitude * Math.sin(r)) / pitchGain };
}
