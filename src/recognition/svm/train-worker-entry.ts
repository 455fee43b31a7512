// Training worker entry (a thread of the generic pool, train-in-worker.ts): grid search, refit and
// new hires' machines run here, never on the server's event loop. The thread first lowers its own
// scheduling priority (nice 19), so a training only uses CPU the cameras and requests leave idle:
// it is one thread (at most one of the cores) and the lowest priority.
import { readlinkSync } from 'node:fs';
import { setPriority, constants } from 'node:os';
import { serveTasks, withTransfer } from '../../engine/pool/serve-tasks.js';
import { runTrainTask, type MachineTask, type TrainTask, type TrainTaskResult } from './train-task.js';

/** Linux: setpriority(PRIO_PROCESS, tid) applies to one thread; /proc/thread-self names this one. */
function lowerThreadPriority(): void {
  try {
    const tid = Number(readlinkSync('/proc/thread-self').split('/').at(-1));
    if (Number.isInteger(tid) && tid > 0) {
      setPriority(tid, constants.priority.PRIORITY_LOW);
    }
  } catch {
    // Not Linux, or not allowed: training still runs, at normal priority.
  }
}

lowerThreadPriority();

serveTasks<TrainTask | MachineTask, TrainTaskResult>(async (task, ctx) => {
  const result = await runTrainTask(task, ctx.signal);
  return result.kind === 'trained' ? withTransfer(result, [result.modelBytes.buffer as ArrayBuffer]) : result;
});
