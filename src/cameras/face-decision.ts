// What the recognizer says about one face, as the live pipeline consumes it.
// Structurally the same union as src/recognition/recognizer.ts returns, kept
// here so the camera code depends on a shape, not on the recognizer module.
import type { EmployeeId } from '../domain/ids.js';
import type { RecognitionMethod } from '../generated/prisma/enums.js';
import type { FaceQuality } from '../vision/types.js';

export type { RecognitionMethod };

export type FaceDecision =
  | { kind: 'recognized'; employeeId: EmployeeId; confidence: number; method: RecognitionMethod }
  | { kind: 'unknown'; reason: string; confidence: number };

export interface FaceToRecognize {
  embedding: Float32Array;
  quality: FaceQuality;
}

/** Injected into the runner: one decision per face, same order. */
export type RecognizeFaces = (faces: readonly FaceToRecognize[]) => Promise<readonly FaceDecision[]> | readonly FaceDecision[];
