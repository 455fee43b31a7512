// Starts the app's face engine from config: FACE_ENGINE=local (default) a pool
// of worker threads in this process, warmed with one small image per worker
// so the first real request does not pay for session start-up; queue, a client
// of the job queue served by `npm run worker` processes (queue/).
// Missing or broken models are not fatal: the server runs without the engine
// and face features answer 503 (require-face-engine.ts).
import sharp from 'sharp';
import type { Logger } from 'pino';
import type { Cluster } from '../cluster/cluster.js';
import type { Config, EngineConfig } from '../config.js';
import { pipelineConfigFrom } from '../vision/pack-config.js';
import type { FaceEngine } from './face-engine.js';
import { PoolFaceEngine } from './pool-face-engine.js';
import { startQueueFaceEngine } from './queue/start-queue-engine.js';

export async function startFaceEngine(config: Config, log: Logger, cluster: Cluster | null): Promise<FaceEngine | null> {
  if (config.FACE_ENGINE === 'queue') {
    if (cluster === null) {
      // parseConfig refuses FACE_ENGINE=queue without REDIS_URL; this is for hand-built configs.
      throw new Error('FACE_ENGINE=queue needs REDIS_URL');
    }
    return startQueueFaceEngine(config, cluster, log);
  }
  return startPoolFaceEngine(config, log);
}

/** The worker-thread engine (also what a queue worker process runs its jobs on). */
export async function startPoolFaceEngine(config: EngineConfig, log: Logger): Promise<PoolFaceEngine | null> {
  let engine: PoolFaceEngine;
  try {
    engine = await PoolFaceEngine.create({
      pipeline: pipelineConfigFrom(config),
      workers: config.WORKER_POOL_SIZE,
      queueLimit: config.WORKER_QUEUE_LIMIT,
      taskTimeoutMs: config.WORKER_TASK_TIMEOUT_MS,
      logger: log,
    });
  } catch (error) {
    log.warn({ err: error, pack: config.MODEL_PACK, dir: config.MODELS_DIR }, 'face engine not started: face features answer 503');
    return null;
  }
  try {
    const image = await sharp({ create: { width: 96, height: 96, channels: 3, background: { r: 128, g: 128, b: 128 } } })
      .jpeg()
      .toBuffer();
    const started = performance.now();
    const workers = Array.from({ length: config.WORKER_POOL_SIZE });
    // A blank image has no face, so the embedder gets its own warm-up crop.
    await Promise.all(workers.map(() => engine.analyze(new Uint8Array(image))));
    await Promise.all(workers.map(() => engine.embedAligned([new Uint8Array(112 * 112 * 3).fill(128)])));
    log.info({ modelId: engine.modelId, workers: config.WORKER_POOL_SIZE, warmupMs: Math.round(performance.now() - started) }, 'face engine ready');
  } catch (error) {
    log.warn({ err: error }, 'face engine warm-up failed');
  }
  return engine;
}
