// The face engine's task protocol: what the adapter (pool-face-engine.ts, main
// thread) asks a face worker (worker-entry.ts) and what the worker answers.
// One request and one result shape per task kind, both tagged with `kind`, so
// the adapter narrows a result by its tag instead of casting it. Plain,
// structured-clone friendly data only.
import type { ModelPackId } from '../../domain/ids.js';
import type { FrameAnalysis } from '../../vision/types.js';
import type { RawFrame } from '../face-engine.js';
import type { PipelineAnalyzeOptions } from '../face-pipeline.js';

export interface PackInfo {
  modelId: ModelPackId;
  embeddingSize: number;
}

export type FaceTask =
  /** Decode an encoded image, then detect, align, assess and embed every face. */
  | { kind: 'analyze'; image: Uint8Array; options: PipelineAnalyzeOptions }
  /** The same on a packed BGR camera frame. */
  | { kind: 'analyzeRaw'; frame: RawFrame; options: PipelineAnalyzeOptions }
  /** Embed aligned 112x112 crops (encoded, or packed BGR). */
  | { kind: 'embedAligned'; crops: Uint8Array[] }
  /** Enrollment: `count` augmented variants of each encoded aligned crop (seed per crop), embedded; crop-major order. */
  | { kind: 'augmentAndEmbed'; crops: Uint8Array[]; count: number; seeds: number[] }
  /** Which model pack the worker serves. */
  | { kind: 'info' };

export type FaceTaskKind = FaceTask['kind'];

export type FaceTaskResult =
  | { kind: 'analyze'; analysis: FrameAnalysis }
  | { kind: 'analyzeRaw'; analysis: FrameAnalysis }
  | { kind: 'embedAligned'; embeddings: Float32Array[] }
  | { kind: 'augmentAndEmbed'; embeddings: Float32Array[] }
  | { kind: 'info'; info: PackInfo };

export type FaceTaskOf<K extends FaceTaskKind> = Extract<FaceTask, { kind: K }>;
export type FaceResultOf<K extends FaceTaskKind> = Extract<FaceTaskResult, { kind: K }>;

/** True when the worker answered the kind of task it was asked (a guard, so no cast is needed). */
export function isResultOf<K extends FaceTaskKind>(result: FaceTaskResult, kind: K): result is FaceResultOf<K> {
  return result.kind === kind;
}
