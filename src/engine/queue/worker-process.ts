// Everything a queue worker process runs, for worker-main.ts and the tests'
// child entry: an instance id, the local worker-thread engine, the BullMQ
// worker. close() stops taking jobs, finishes those held, stops the threads.
import type { Logger } from 'pino';
import { newInstanceId, type InstanceId } from '../../cluster/instance-id.js';
import { redisNamespace } from '../../cluster/redis-namespace.js';
import type { WorkerConfig } from '../../config.js';
import { startPoolFaceEngine } from '../start-face-engine.js';
import { startQueueWorker } from './queue-worker.js';

export interface WorkerProcess {
  readonly instanceId: InstanceId;
  close(): Promise<void>;
}

export async function runWorkerProcess(config: WorkerConfig, baseLog: Logger): Promise<WorkerProcess> {
  const instanceId = newInstanceId();
  const log = baseLog.child({ instanceId, component: 'queue-worker' });
  const engine = await startPoolFaceEngine(config, log);
  if (engine === null) {
    throw new Error('the face models do not load (npm run models:fetch)');
  }
  const worker = await startQueueWorker({
    redisUrl: config.REDIS_URL,
    ns: redisNamespace(config.REDIS_PREFIX),
    instanceId,
    engine,
    concurrency: config.WORKER_CONCURRENCY > 0 ? config.WORKER_CONCURRENCY : config.WORKER_POOL_SIZE * 2,
    log,
  }).catch(async (error: unknown) => {
    await engine.close();
    throw error;
  });
  return {
    instanceId,
    async close() {
      await worker.close();
      await engine.close();
    },
  };
}
