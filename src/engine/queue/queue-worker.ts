// The worker side of the queue engine (`npm run worker`): takes face jobs from
// BullMQ and runs them on a local engine, the same worker-thread pool the
// server runs with FACE_ENGINE=local, then publishes each outcome to the
// server instance that waits for it. No HTTP, no database.
//
// - A job past its deadline, or whose input is gone, is dropped unrun: nobody
//   waits for it (a backlog never turns into late work).
// - Bad input (not an image, too large) is an answer, not a failure: it goes
//   back at once and is never retried.
// - A busy or crashed pool throws, so BullMQ tries the job again (on any
//   worker) while attempts and the deadline last; the last attempt answers.
// - A worker killed mid-job leaves its jobs locked; the lock lapses and
//   another worker's stalled check puts them back (queue-protocol.ts timings).
import { hostname } from 'node:os';
import { Worker, type Job } from 'bullmq';
import type { Logger } from 'pino';
import { closeRedis, redisClient } from '../../cluster/cluster.js';
import { createInstanceRegistry, type InstanceRegistry } from '../../cluster/instance-registry.js';
import type { InstanceId } from '../../cluster/instance-id.js';
import type { RedisNamespace } from '../../cluster/redis-namespace.js';
import { UnavailableError } from '../../domain/errors.js';
import type { FaceEngine } from '../face-engine.js';
import type { FaceTask, FaceTaskResult } from '../tasks/face-tasks.js';
import { decodeMessage, encodeMessage } from './binary-codec.js';
import { failureFromError, isRetryable } from './queue-errors.js';
import {
  FACE_QUEUE,
  inputKey,
  JOB_LOCK_MS,
  MAX_STALLED,
  outcomeChannel,
  STALLED_CHECK_MS,
  WORKER_HEARTBEAT_TTL_MS,
  type FaceJobData,
  type FaceJobOutcome,
} from './queue-protocol.js';

export interface QueueWorkerOptions {
  redisUrl: string;
  ns: RedisNamespace;
  instanceId: InstanceId;
  /** Runs the tasks (a PoolFaceEngine: worker threads in this process). */
  engine: FaceEngine;
  /** Jobs taken at once. */
  concurrency: number;
  log: Logger;
  /** Told of every job (the worker's metrics). */
  observer?: JobObserver;
}

export type JobDisposition = 'done' | 'failed' | 'expired';

export interface JobObserver {
  started(): void;
  /** `retried`: thrown back to BullMQ for another try (a busy or crashed pool, Redis failing). */
  finished(task: string, outcome: JobDisposition | 'retried', seconds: number): void;
}

export interface QueueWorker {
  readonly processed: number;
  /** Stops taking jobs, lets the running ones finish, leaves the registry. */
  close(): Promise<void>;
}

export async function startQueueWorker(options: QueueWorkerOptions): Promise<QueueWorker> {
  const { engine, ns, log } = options;
  const redis = redisClient(options.redisUrl, log, 'worker-commands');
  const registry: InstanceRegistry = createInstanceRegistry({
    redis,
    ns,
    self: {
      id: options.instanceId,
      role: 'worker',
      host: hostname(),
      pid: process.pid,
      details: { threads: engine.stats().workers, concurrency: options.concurrency, modelId: engine.modelId, embeddingSize: engine.embeddingSize },
    },
    ttlMs: WORKER_HEARTBEAT_TTL_MS,
    log,
  });
  let processed = 0;

  const answer = async (job: Job<FaceJobData>, outcome: FaceJobOutcome): Promise<void> => {
    await redis.publish(outcomeChannel(ns, job.data.from), encodeMessage(outcome));
  };

  const processJob = async (job: Job<FaceJobData>): Promise<JobDisposition> => {
    const started = performance.now();
    options.observer?.started();
    let outcome: JobDisposition | 'retried' = 'retried';
    try {
      outcome = await runJob(job);
      return outcome;
    } finally {
      options.observer?.finished(job.data.kind, outcome, (performance.now() - started) / 1000);
    }
  };

  const runJob = async (job: Job<FaceJobData>): Promise<JobDisposition> => {
    const jobId = job.id!;
    if (Date.now() > job.data.deadline) {
      return 'expired';
    }
    const input = await redis.getBuffer(inputKey(ns, jobId));
    if (input === null) {
      return 'expired';
    }
    let outcome: FaceJobOutcome;
    try {
      if (job.data.modelId !== engine.modelId) {
        throw new UnavailableError(`this worker serves model pack ${engine.modelId}, the job needs ${job.data.modelId}`);
      }
      outcome = { jobId, worker: options.instanceId, ok: true, result: await runTask(engine, decodeMessage<FaceTask>(input)) };
    } catch (error) {
      const attemptsLeft = job.attemptsMade + 1 < (job.opts.attempts ?? 1);
      if (isRetryable(error) && attemptsLeft && Date.now() < job.data.deadline) {
        throw error;
      }
      outcome = { jobId, worker: options.instanceId, ok: false, error: failureFromError(error) };
    }
    await answer(job, outcome);
    processed++;
    return outcome.ok ? 'done' : 'failed';
  };

  const worker = new Worker<FaceJobData, JobDisposition>(FACE_QUEUE, processJob, {
    connection: { url: options.redisUrl, maxRetriesPerRequest: null },
    prefix: ns.prefix,
    name: options.instanceId,
    concurrency: options.concurrency,
    lockDuration: JOB_LOCK_MS,
    stalledInterval: STALLED_CHECK_MS,
    maxStalledCount: MAX_STALLED,
    // Wake up at least every second while the queue is empty (default 5 s).
    drainDelay: 1,
    autorun: false,
  });
  worker.on('error', (error: unknown) => log.warn({ err: error }, 'face queue worker error'));
  worker.on('failed', (job, error) => log.debug({ err: error, jobId: job?.id }, 'face job attempt failed'));
  await registry.start();
  void worker.run().catch((error: unknown) => log.error({ err: error }, 'face queue worker stopped'));
  await worker.waitUntilReady();
  log.info({ concurrency: options.concurrency, threads: engine.stats().workers, modelId: engine.modelId }, 'face queue worker ready');

  return {
    get processed() {
      return processed;
    },
    async close() {
      await registry.stop();
      await worker.close();
      await closeRedis(redis);
    },
  };
}

/** One face task on the local engine: the same task kinds the worker threads serve. */
async function runTask(engine: FaceEngine, task: FaceTask): Promise<FaceTaskResult> {
  switch (task.kind) {
    case 'analyze':
      return { kind: task.kind, analysis: await engine.analyze(task.image, task.options) };
    case 'analyzeRaw':
      return { kind: task.kind, analysis: await engine.analyzeRaw(task.frame, task.options) };
    case 'embedAligned':
      return { kind: task.kind, embeddings: await engine.embedAligned(task.crops) };
    case 'augmentAndEmbed': {
      if (engine.augmentAndEmbed === undefined) {
        throw new UnavailableError('this worker cannot augment enrollment crops');
      }
      return { kind: task.kind, embeddings: await engine.augmentAndEmbed(task.crops, task.count, task.seeds) };
    }
    case 'info':
      return { kind: task.kind, info: { modelId: engine.modelId, embeddingSize: engine.embeddingSize } };
  }
}
