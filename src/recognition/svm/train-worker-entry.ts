// SVM training worker entry (a thread of the generic pool, train-in-worker.ts): grid search and refit run here, never on the server's event loop.
import { serveTasks, withTransfer } from '../../engine/pool/serve-tasks.js';
import { runTrainTask, type TrainTask, type TrainTaskResult } from './train-task.js';

serveTasks<TrainTask, TrainTaskResult>(async (task, ctx) => {
  const result = await runTrainTask(task, ctx.signal);
  return result.kind === 'trained' ? withTransfer(result, [result.modelBytes.buffer as ArrayBuffer]) : result;
});
