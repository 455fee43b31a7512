// Worker side of the face tasks: runs one task on this worker's FacePipeline
// and names the buffers worth moving (not copying) back to the main thread.
import { augmentEncodedCrop } from '../../enrollment/decode-crop.js';
import type { FrameAnalysis } from '../../vision/types.js';
import type { FacePipeline } from '../face-pipeline.js';
import type { FaceTask, FaceTaskResult } from './face-tasks.js';

export interface FaceTaskOutput {
  result: FaceTaskResult;
  transfer: ArrayBuffer[];
}

export async function runFaceTask(pipeline: FacePipeline, task: FaceTask): Promise<FaceTaskOutput> {
  switch (task.kind) {
    case 'analyze': {
      const analysis = await pipeline.analyzeImage(task.image, task.options);
      return { result: { kind: task.kind, analysis }, transfer: analysisBuffers(analysis) };
    }
    case 'analyzeRaw': {
      const analysis = await pipeline.analyzeRaw(task.frame, task.options);
      return { result: { kind: task.kind, analysis }, transfer: analysisBuffers(analysis) };
    }
    case 'embedAligned': {
      const embeddings = await pipeline.embedAligned(task.crops);
      return { result: { kind: task.kind, embeddings }, transfer: embeddings.map(bufferOf) };
    }
    case 'augmentAndEmbed': {
      // Augmentation is plain JS (~1-2 ms a variant): here it runs beside the embedder, off the event loop.
      const variants: Uint8Array[] = [];
      for (const [i, crop] of task.crops.entries()) {
        variants.push(...(await augmentEncodedCrop(crop, task.count, task.seeds[i] ?? i)));
      }
      const embeddings = await pipeline.embedAligned(variants);
      return { result: { kind: task.kind, embeddings }, transfer: embeddings.map(bufferOf) };
    }
    case 'info':
      return { result: { kind: task.kind, info: { modelId: pipeline.modelId, embeddingSize: pipeline.embeddingSize } }, transfer: [] };
  }
}

function analysisBuffers(analysis: FrameAnalysis): ArrayBuffer[] {
  const transfer: ArrayBuffer[] = [];
  for (const face of analysis.faces) {
    if (face.embedding) {
      transfer.push(bufferOf(face.embedding));
    }
    if (face.alignedJpeg) {
      transfer.push(bufferOf(face.alignedJpeg));
    }
    if (face.landmarks68) {
      transfer.push(bufferOf(face.landmarks68));
    }
  }
  return transfer;
}

/** Each embedding and crop owns its buffer (made by the pipeline in this worker), so moving it detaches nothing shared. */
function bufferOf(view: Float32Array | Float64Array | Uint8Array): ArrayBuffer {
  return view.buffer as ArrayBuffer;
}
