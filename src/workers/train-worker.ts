// SVM training worker: grid search and refit run here, never on the server's event loop.
import { runTrainTask, type TrainTask, type TrainTaskResult } from '../recognition/svm/train-task.js';
import { serveTasks, withTransfer } from './worker-host.js';

serveTasks<TrainTask, TrainTaskResult>(async (task, ctx) => {
  const result = await runTrainTask(task, ctx.signal);
  return result.kind === 'trained' ? withTransfer(result, [result.modelBytes.buffer as ArrayBuffer]) : result;
});
