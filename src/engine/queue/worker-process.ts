// Everything a queue worker process runs, for worker-main.ts and the tests'
// child entry: an instance id, the local worker-thread engine, the BullMQ
// worker, and with METRICS_PORT its metrics listener. close() stops taking
// jobs, finishes those held, stops the threads and the listener.
import type { Logger } from 'pino';
import { newInstanceId, type InstanceId } from '../../cluster/instance-id.js';
import { redisNamespace } from '../../cluster/redis-namespace.js';
import type { WorkerConfig } from '../../config.js';
import { startPoolFaceEngine } from '../start-face-engine.js';
import { startMetricsServer, type MetricsServer } from '../../metrics/metrics-server.js';
import { WorkerMetrics } from '../../metrics/worker-metrics.js';
import { startQueueWorker } from './queue-worker.js';

export interface WorkerProcess {
  readonly instanceId: InstanceId;
  /** Where Prometheus scrapes this worker (METRICS_PORT set), else null. */
  readonly metricsUrl: string | null;
  close(): Promise<void>;
}

export async function runWorkerProcess(config: WorkerConfig, baseLog: Logger): Promise<WorkerProcess> {
  const instanceId = newInstanceId();
  const log = baseLog.child({ instanceId, component: 'queue-worker' });
  const engine = await startPoolFaceEngine(config, log);
  if (engine === null) {
    throw new Error('the face models do not load (npm run models:fetch)');
  }
  const metrics = new WorkerMetrics(instanceId);
  metrics.watchEngine(() => engine.stats());
  let server: MetricsServer | null = null;
  try {
    if (config.METRICS_PORT !== undefined) {
      server = await startMetricsServer({
        host: config.HOST,
        port: config.METRICS_PORT,
        config,
        metrics,
        onError: (error) => log.warn({ err: error }, 'metrics scrape failed'),
      });
      log.info({ url: `${server.url}/metrics` }, 'worker metrics served');
    }
  } catch (error) {
    await engine.close();
    throw error;
  }
  const worker = await startQueueWorker({
    redisUrl: config.REDIS_URL,
    ns: redisNamespace(config.REDIS_PREFIX),
    instanceId,
    engine,
    concurrency: config.WORKER_CONCURRENCY > 0 ? config.WORKER_CONCURRENCY : config.WORKER_POOL_SIZE * 2,
    log,
    observer: {
      started: () => metrics.jobsActive.inc(),
      finished: (task, outcome, seconds) => {
        metrics.jobsActive.dec();
        metrics.observeJob(task, outcome, seconds);
      },
    },
  }).catch(async (error: unknown) => {
    await server?.close();
    await engine.close();
    throw error;
  });
  return {
    instanceId,
    metricsUrl: server === null ? null : `${server.url}/metrics`,
    async close() {
      await worker.close();
      await engine.close();
      // Last: a scrape during the drain still sees the jobs finish.
      await server?.close();
    },
  };
}
