// The server's side of FACE_ENGINE=queue: which model pack the jobs are for
// (the server stores and compares templates of that pack, so it must know it
// without running the models), then the queue adapter. The committed manifest
// of a faceplugin pack says it; an InsightFace folder may exist only on the
// worker machines, so then the first worker's heartbeat says it.
import type { Logger } from 'pino';
import type { Cluster } from '../../cluster/cluster.js';
import { listInstances } from '../../cluster/instance-registry.js';
import type { Config } from '../../config.js';
import { modelPackId, type ModelPackId } from '../../domain/ids.js';
import { readManifest } from '../../vision/model-manifest.js';
import { packConfigFrom } from '../../vision/pack-config.js';
import { QueueFaceEngine } from './queue-face-engine.js';

/** How long a server without a local manifest waits for a worker to name the pack. */
const PACK_FROM_WORKER_WAIT_MS = 60_000;

export async function startQueueFaceEngine(config: Config, cluster: Cluster, log: Logger): Promise<QueueFaceEngine | null> {
  const pack = await packIdentity(config, cluster, log);
  if (pack === null) {
    log.warn('queue face engine not started: no manifest here and no worker named its model pack; face features answer 503');
    return null;
  }
  const engine = await QueueFaceEngine.create({
    cluster,
    pack,
    attempts: config.ENGINE_QUEUE_ATTEMPTS,
    taskTimeoutMs: config.WORKER_TASK_TIMEOUT_MS,
    queueLimit: config.WORKER_QUEUE_LIMIT,
    log,
  });
  const { workers, workerProcesses } = engine.describe();
  log.info({ modelId: pack.modelId, workerProcesses: workerProcesses.length, workers }, 'queue face engine ready');
  return engine;
}

async function packIdentity(config: Config, cluster: Cluster, log: Logger): Promise<{ modelId: ModelPackId; embeddingSize: number } | null> {
  const pack = packConfigFrom(config);
  if (pack.kind === 'faceplugin') {
    try {
      const manifest = readManifest(pack.dir);
      return { modelId: modelPackId(manifest.id), embeddingSize: manifest.embeddingSize };
    } catch (error) {
      log.info({ err: error }, 'no readable pack manifest here: waiting for a worker to name the model pack');
    }
  }
  const until = Date.now() + PACK_FROM_WORKER_WAIT_MS;
  while (Date.now() < until) {
    const workers = await listInstances(cluster.redis, cluster.ns, 'worker').catch(() => []);
    const first = workers.find((w) => typeof w.details.modelId === 'string' && typeof w.details.embeddingSize === 'number');
    if (first) {
      return { modelId: modelPackId(String(first.details.modelId)), embeddingSize: Number(first.details.embeddingSize) };
    }
    await new Promise((resolve) => setTimeout(resolve, 1_000));
  }
  return null;
}
