// FaceEngine over a job queue (FACE_ENGINE=queue): every task goes to BullMQ
// on Redis and runs in a `npm run worker` process, on this machine or another.
// This adapter owns that transport: it puts each task's bytes beside its job,
// waits for the outcome on this instance's own channel, bounds the wait by a
// deadline (the job is dropped unrun by a worker that gets it later), fails at
// once when no worker is alive, and maps every failure onto the engine's
// domain errors (queue-errors.ts). Worker crashes are BullMQ's business: a job
// whose worker died goes back to the queue and runs elsewhere.
import { randomUUID } from 'node:crypto';
import { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import type { Cluster } from '../../cluster/cluster.js';
import { closeRedis, redisClient } from '../../cluster/cluster.js';
import { listInstances, type InstanceEntry } from '../../cluster/instance-registry.js';
import type { ModelPackId } from '../../domain/ids.js';
import { LatencyWindow } from '../../math/latency-window.js';
import type { AnalyzeOptions, FrameAnalysis } from '../../vision/types.js';
import { EngineBusyError, type EngineBusyReason } from '../engine-errors.js';
import type { EngineDescription, EngineStats, FaceEngine, RawFrame } from '../face-engine.js';
import { TaskAbortedError } from '../pool/pool-errors.js';
import { isResultOf, type FaceResultOf, type FaceTaskKind, type FaceTaskOf } from '../tasks/face-tasks.js';
import { decodeMessage, encodeMessage } from './binary-codec.js';
import { errorFromFailure } from './queue-errors.js';
import { FACE_QUEUE, FRAME_DEADLINE_MS, inputKey, outcomeChannel, type FaceJobData, type FaceJobOutcome } from './queue-protocol.js';

export interface QueueFaceEngineOptions {
  cluster: Pick<Cluster, 'redis' | 'ns' | 'instanceId' | 'redisUrl'>;
  pack: { modelId: ModelPackId; embeddingSize: number };
  /** Tries per job (ENGINE_QUEUE_ATTEMPTS). */
  attempts: number;
  /** A task not answered this long fails with EngineBusyError timeout (WORKER_TASK_TIMEOUT_MS). */
  taskTimeoutMs: number;
  /** Tasks of this instance in the queue at once (WORKER_QUEUE_LIMIT). */
  queueLimit: number;
  log: Logger;
  /** How often the live workers and the queue's counts are read. Default 1 s. */
  pollMs?: number;
}

interface Pending {
  resolve(outcome: FaceJobOutcome): void;
  reject(error: unknown): void;
}

const MAX_RETRY_AFTER_SECONDS = 30;

export class QueueFaceEngine implements FaceEngine {
  readonly modelId: ModelPackId;
  readonly embeddingSize: number;
  readonly #o: QueueFaceEngineOptions;
  readonly #queue: Queue<FaceJobData>;
  readonly #subscriber: Redis;
  readonly #pending = new Map<string, Pending>();
  readonly #latency = new LatencyWindow(500);
  /** Outcomes received per worker process (system info, metrics). */
  readonly #servedBy = new Map<string, number>();
  #workers: InstanceEntry[] = [];
  #counts = { waiting: 0, active: 0 };
  #completed = 0;
  #failed = 0;
  #closed = false;
  #poller: NodeJS.Timeout | undefined;

  private constructor(options: QueueFaceEngineOptions, queue: Queue<FaceJobData>, subscriber: Redis) {
    this.#o = options;
    this.modelId = options.pack.modelId;
    this.embeddingSize = options.pack.embeddingSize;
    this.#queue = queue;
    this.#subscriber = subscriber;
  }

  static async create(options: QueueFaceEngineOptions): Promise<QueueFaceEngine> {
    const { cluster, log } = options;
    const queue = new Queue<FaceJobData>(FACE_QUEUE, {
      connection: { url: cluster.redisUrl, maxRetriesPerRequest: 1 },
      prefix: cluster.ns.prefix,
    });
    queue.on('error', (error: unknown) => log.warn({ err: error }, 'face queue error'));
    const subscriber = redisClient(cluster.redisUrl, log, 'engine-outcomes', { subscriber: true });
    const engine = new QueueFaceEngine(options, queue, subscriber);
    subscriber.on('messageBuffer', (_channel: Buffer, message: Buffer) => engine.#settle(message));
    try {
      await subscriber.subscribe(outcomeChannel(cluster.ns, cluster.instanceId));
      await engine.#poll();
    } catch (error) {
      await engine.close();
      throw error;
    }
    engine.#poller = setInterval(() => void engine.#poll(), options.pollMs ?? 1_000);
    engine.#poller.unref();
    return engine;
  }

  async analyze(image: Uint8Array, options: AnalyzeOptions = {}): Promise<FrameAnalysis> {
    const { signal, ...rest } = options;
    return (await this.#run('analyze', { kind: 'analyze', image, options: rest }, this.#o.taskTimeoutMs, signal)).analysis;
  }

  async analyzeRaw(frame: RawFrame, options: AnalyzeOptions = {}): Promise<FrameAnalysis> {
    const { signal, ...rest } = options;
    const plain: RawFrame = { data: frame.data, rows: frame.rows, cols: frame.cols };
    // A camera frame is stale long before the task timeout: a short deadline drops it from the backlog.
    const ttl = Math.min(this.#o.taskTimeoutMs, FRAME_DEADLINE_MS);
    return (await this.#run('analyzeRaw', { kind: 'analyzeRaw', frame: plain, options: rest }, ttl, signal)).analysis;
  }

  async embedAligned(crops: Uint8Array[], options: { signal?: AbortSignal } = {}): Promise<Float32Array[]> {
    if (crops.length === 0) {
      return [];
    }
    return (await this.#run('embedAligned', { kind: 'embedAligned', crops }, this.#o.taskTimeoutMs, options.signal)).embeddings;
  }

  async augmentAndEmbed(crops: Uint8Array[], count: number, seeds: number[], options: { signal?: AbortSignal } = {}): Promise<Float32Array[]> {
    if (crops.length === 0 || count === 0) {
      return [];
    }
    const task = { kind: 'augmentAndEmbed', crops, count, seeds } as const;
    return (await this.#run('augmentAndEmbed', task, this.#o.taskTimeoutMs, options.signal)).embeddings;
  }

  stats(): EngineStats {
    const workers = this.#threads();
    const latency = this.#latency.summary();
    return {
      workers,
      busyWorkers: Math.min(workers, this.#counts.active),
      queueDepth: this.#counts.waiting,
      queueLimit: this.#o.queueLimit,
      tasksCompleted: this.#completed,
      tasksFailed: this.#failed,
      workerRestarts: 0,
      latencyMs: { p50: latency.p50 ?? 0, p95: latency.p95 ?? 0, max: latency.max ?? 0 },
    };
  }

  describe(): EngineDescription {
    return {
      kind: 'queue',
      workers: this.#threads(),
      workerProcesses: this.#workers.map((w) => ({
        id: w.id,
        host: w.host,
        threads: Number(w.details.threads ?? 0),
        jobs: this.#servedBy.get(w.id) ?? 0,
      })),
    };
  }

  /** Tasks of this instance waiting for an outcome. */
  get inFlight(): number {
    return this.#pending.size;
  }

  async close(): Promise<void> {
    if (this.#closed) {
      return;
    }
    this.#closed = true;
    clearInterval(this.#poller);
    for (const [jobId, pending] of this.#pending) {
      this.#pending.delete(jobId);
      pending.reject(this.#busy('stopping'));
    }
    await Promise.allSettled([this.#queue.close(), closeRedis(this.#subscriber)]);
  }

  #threads(): number {
    return this.#workers.reduce((sum, w) => sum + Number(w.details.threads ?? 0), 0);
  }

  #retryAfterSeconds(): number {
    const p50 = this.#latency.summary().p50 ?? 0;
    return Math.min(MAX_RETRY_AFTER_SECONDS, Math.max(1, Math.ceil(p50 / 1000)));
  }

  #busy(reason: EngineBusyReason): EngineBusyError {
    return new EngineBusyError(reason, this.#retryAfterSeconds());
  }

  async #poll(): Promise<void> {
    try {
      const [workers, counts] = await Promise.all([
        listInstances(this.#o.cluster.redis, this.#o.cluster.ns, 'worker'),
        this.#queue.getJobCounts('waiting', 'prioritized', 'delayed', 'active'),
      ]);
      // A worker of another model pack would answer every job with an error: it does not count.
      this.#workers = workers.filter((w) => w.details.modelId === this.modelId);
      this.#counts = { waiting: (counts.waiting ?? 0) + (counts.prioritized ?? 0) + (counts.delayed ?? 0), active: counts.active ?? 0 };
    } catch (error) {
      this.#o.log.debug({ err: error }, 'face queue poll failed');
    }
  }

  #settle(message: Buffer): void {
    let outcome: FaceJobOutcome;
    try {
      outcome = decodeMessage<FaceJobOutcome>(message);
    } catch (error) {
      this.#o.log.warn({ err: error }, 'unreadable face job outcome');
      return;
    }
    this.#servedBy.set(outcome.worker, (this.#servedBy.get(outcome.worker) ?? 0) + 1);
    const pending = this.#pending.get(outcome.jobId);
    if (pending) {
      this.#pending.delete(outcome.jobId);
      pending.resolve(outcome);
    }
  }

  async #run<K extends FaceTaskKind>(kind: K, task: FaceTaskOf<K>, ttlMs: number, signal?: AbortSignal): Promise<FaceResultOf<K>> {
    if (this.#closed) {
      throw this.#busy('stopping');
    }
    if (this.#workers.length === 0) {
      throw this.#busy('no_workers');
    }
    if (this.#pending.size >= this.#o.queueLimit) {
      throw this.#busy('queue_full');
    }
    if (signal?.aborted) {
      throw new TaskAbortedError(signal.reason);
    }
    const { redis, ns, instanceId } = this.#o.cluster;
    const jobId = randomUUID();
    const started = performance.now();
    let timer: NodeJS.Timeout | undefined;
    let onAbort: (() => void) | undefined;
    const outcome = new Promise<FaceJobOutcome>((resolve, reject) => {
      this.#pending.set(jobId, { resolve, reject });
      timer = setTimeout(() => {
        this.#pending.delete(jobId);
        reject(this.#busy('timeout'));
      }, ttlMs);
      onAbort = () => {
        this.#pending.delete(jobId);
        reject(new TaskAbortedError(signal?.reason));
      };
      signal?.addEventListener('abort', onAbort, { once: true });
    });
    let answered = false;
    try {
      const data: FaceJobData = { from: instanceId, deadline: Date.now() + ttlMs, modelId: this.modelId, kind };
      try {
        await redis.set(inputKey(ns, jobId), encodeMessage(task), 'PX', ttlMs + 5_000);
        await this.#queue.add(kind, data, { jobId, attempts: this.#o.attempts, removeOnComplete: true, removeOnFail: true });
      } catch (error) {
        this.#pending.delete(jobId);
        this.#o.log.warn({ err: error }, 'face job not queued (Redis unreachable?)');
        throw this.#busy('timeout');
      }
      const result = await outcome;
      answered = true;
      if (!result.ok) {
        throw errorFromFailure(result.error, this.#retryAfterSeconds());
      }
      if (!isResultOf(result.result, kind)) {
        throw new Error(`face worker answered a ${result.result.kind} result to a ${kind} task`);
      }
      this.#completed++;
      this.#latency.record(performance.now() - started);
      return result.result;
    } catch (error) {
      this.#failed++;
      throw error;
    } finally {
      clearTimeout(timer);
      if (onAbort) {
        signal?.removeEventListener('abort', onAbort);
      }
      this.#pending.delete(jobId);
      // Nobody waits any more: the input goes, and a job not started yet is taken off the queue.
      redis.del(inputKey(ns, jobId)).catch(() => undefined);
      if (!answered) {
        this.#queue.remove(jobId).catch(() => undefined);
      }
    }
  }
}
