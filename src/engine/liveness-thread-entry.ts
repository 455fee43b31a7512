// Liveness thread entry (liveness-thread.ts): the face worker's passive liveness
// model in a thread of its own, so it scores a face while the face worker's
// thread runs the embedder (onnxruntime-node's run holds the thread it is
// called on). Crops arrive already cut (128x128); one intra-op thread.
import { workerData } from 'node:worker_threads';
import { LivenessModel } from '../vision/liveness-model.js';
import { serveTasks } from './pool/serve-tasks.js';
import type { LivenessTask } from './liveness-thread.js';

let model: LivenessModel | undefined;

serveTasks<LivenessTask, number[]>(
  // serveTasks hands out tasks only after the init below succeeded.
  async (task) => {
    const scores: number[] = [];
    for (const crop of task.crops) {
      scores.push(await model!.scoreCrop(crop));
    }
    return scores;
  },
  async () => {
    model = await LivenessModel.fromPack((workerData as { packDir: string }).packDir, 1);
  },
);
