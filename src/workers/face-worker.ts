// Face worker entry: one FacePipeline (ONNX sessions of the configured pack)
// per thread, serving FaceTasks through the generic pool's worker helper.
import { workerData } from 'node:worker_threads';
import { runFaceTask, type FaceTask, type FaceTaskResult } from '../vision/face-tasks.js';
import type { PipelineConfig } from '../vision/pack-config.js';
import { FacePipeline } from '../vision/pipeline.js';
import { serveTasks, withTransfer } from './worker-host.js';

let pipeline: FacePipeline | undefined;

serveTasks<FaceTask, FaceTaskResult>(
  async (task) => {
    const { result, transfer } = await runFaceTask(pipeline!, task);
    return withTransfer(result, transfer);
  },
  async () => {
    pipeline = await FacePipeline.create(workerData as PipelineConfig);
  },
);
