// Face worker entry: one FacePipeline (the ONNX sessions of the configured
// pack) per thread, serving the face tasks through the pool's serveTasks.
import { workerData } from 'node:worker_threads';
import type { PipelineConfig } from '../vision/pack-config.js';
import { FacePipeline } from './face-pipeline.js';
import { serveTasks, withTransfer } from './pool/serve-tasks.js';
import type { FaceTask, FaceTaskResult } from './tasks/face-tasks.js';
import { runFaceTask } from './tasks/run-face-task.js';

let pipeline: FacePipeline | undefined;

serveTasks<FaceTask, FaceTaskResult>(
  // serveTasks hands out tasks only after the init below succeeded.
  async (task) => {
    const { result, transfer } = await runFaceTask(pipeline!, task);
    return withTransfer(result, transfer);
  },
  async () => {
    pipeline = await FacePipeline.create(workerData as PipelineConfig);
  },
);
