// Messages between PoolFaceEngine (main thread) and face-worker.ts, and the
// worker-side dispatch. Plain, structured-clone friendly data only.
import type { ModelPackId } from '../domain/ids.js';
import type { RawFrame } from '../engine/face-engine.js';
import { augmentEncodedCrop } from '../enrollment/decode-crop.js';
import type { FacePipeline, PipelineAnalyzeOptions } from './pipeline.js';
import type { FrameAnalysis } from './types.js';

export type FaceTask =
  | { kind: 'analyze'; image: Uint8Array; options: PipelineAnalyzeOptions }
  | { kind: 'analyzeRaw'; frame: RawFrame; options: PipelineAnalyzeOptions }
  | { kind: 'embedAligned'; crops: Uint8Array[] }
  /** Enrollment: `count` augmented variants of each encoded aligned crop (seed per crop), embedded; crop-major order. */
  | { kind: 'augmentAndEmbed'; crops: Uint8Array[]; count: number; seeds: number[] }
  | { kind: 'info' };

export interface PackInfo {
  modelId: ModelPackId;
  embeddingSize: number;
}

export type FaceTaskResult = FrameAnalysis | Float32Array[] | PackInfo;

/** Runs one task; also returns the buffers worth moving (not copying) back. */
export async function runFaceTask(
  pipeline: FacePipeline,
  task: FaceTask,
): Promise<{ result: FaceTaskResult; transfer: ArrayBuffer[] }> {
  switch (task.kind) {
    case 'analyze':
    case 'analyzeRaw': {
      const result =
        task.kind === 'analyze'
          ? await pipeline.analyzeImage(task.image, task.options)
          : await pipeline.analyzeRaw(task.frame, task.options);
      const transfer: ArrayBuffer[] = [];
      for (const f of result.faces) {
        if (f.embedding) {transfer.push(f.embedding.buffer as ArrayBuffer);}
        if (f.alignedJpeg) {transfer.push(f.alignedJpeg.buffer as ArrayBuffer);}
      }
      return { result, transfer };
    }
    case 'embedAligned': {
      const result = await pipeline.embedAligned(task.crops);
      return { result, transfer: result.map((e) => e.buffer as ArrayBuffer) };
    }
    case 'augmentAndEmbed': {
      // Augmentation is plain JS (~1-2 ms a variant): here it runs beside the embedder, off the event loop.
      const variants: Uint8Array[] = [];
      for (const [i, crop] of task.crops.entries()) {
        variants.push(...(await augmentEncodedCrop(crop, task.count, task.seeds[i] ?? i)));
      }
      const result = await pipeline.embedAligned(variants);
      return { result, transfer: result.map((e) => e.buffer as ArrayBuffer) };
    }
    case 'info':
      return { result: { modelId: pipeline.modelId, embeddingSize: pipeline.embeddingSize }, transfer: [] };
  }
}
