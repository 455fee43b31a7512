// FaceEngine on top of the generic worker pool: every decode/inference runs in
// a face worker (worker-entry.ts), the event loop only moves bytes. This
// adapter owns the boundary: it sends typed tasks (tasks/face-tasks.ts),
// checks that each answer is of the kind asked, and maps every pool or worker
// failure to a domain error (engine-errors.ts) so callers never see the pool.
import type { Logger } from 'pino';
import type { ModelPackId } from '../domain/ids.js';
import type { PipelineConfig } from '../vision/pack-config.js';
import type { AnalyzeOptions, FrameAnalysis } from '../vision/types.js';
import { mapEngineFailure } from './engine-errors.js';
import type { EngineDescription, EngineStats, FaceEngine, RawFrame } from './face-engine.js';
import { WorkerPool } from './pool/worker-pool.js';
import { isResultOf, type FaceResultOf, type FaceTask, type FaceTaskKind, type FaceTaskOf, type FaceTaskResult } from './tasks/face-tasks.js';

export interface PoolFaceEngineOptions {
  pipeline: PipelineConfig;
  workers: number;
  queueLimit: number;
  taskTimeoutMs: number;
  logger?: Logger;
}

const WORKER_FILE = new URL(`./worker-entry${import.meta.url.endsWith('.ts') ? '.ts' : '.js'}`, import.meta.url);

/** Retry-After bounds: at least a second, and never so long that a client gives up on a short burst. */
const MAX_RETRY_AFTER_SECONDS = 30;

export class PoolFaceEngine implements FaceEngine {
  private constructor(
    private readonly pool: WorkerPool<FaceTask, FaceTaskResult>,
    readonly modelId: ModelPackId,
    readonly embeddingSize: number,
  ) {}

  /** Starts the workers and waits until one has loaded the models (fails if they cannot be loaded). */
  static async create(opts: PoolFaceEngineOptions): Promise<PoolFaceEngine> {
    const pool = new WorkerPool<FaceTask, FaceTaskResult>({
      workerFile: WORKER_FILE,
      size: opts.workers,
      queueLimit: opts.queueLimit,
      taskTimeoutMs: opts.taskTimeoutMs,
      workerData: opts.pipeline,
      name: 'face',
      ...(opts.logger ? { logger: opts.logger } : {}),
    });
    try {
      const { info } = await run(pool, 'info', { kind: 'info' });
      return new PoolFaceEngine(pool, info.modelId, info.embeddingSize);
    } catch (err) {
      await pool.close();
      throw err;
    }
  }

  async analyze(image: Uint8Array, options: AnalyzeOptions = {}): Promise<FrameAnalysis> {
    const { signal, ...rest } = options;
    const { analysis } = await run(this.pool, 'analyze', { kind: 'analyze', image, options: rest }, signal);
    return analysis;
  }

  async analyzeRaw(frame: RawFrame, options: AnalyzeOptions = {}): Promise<FrameAnalysis> {
    const { signal, ...rest } = options;
    // Only the pixels and their shape cross (a CapturedFrame carries more).
    const plain: RawFrame = { data: frame.data, rows: frame.rows, cols: frame.cols };
    const { analysis } = await run(this.pool, 'analyzeRaw', { kind: 'analyzeRaw', frame: plain, options: rest }, signal);
    return analysis;
  }

  async embedAligned(crops: Uint8Array[], options: { signal?: AbortSignal } = {}): Promise<Float32Array[]> {
    if (crops.length === 0) {
      return [];
    }
    const { embeddings } = await run(this.pool, 'embedAligned', { kind: 'embedAligned', crops }, options.signal);
    return embeddings;
  }

  async augmentAndEmbed(crops: Uint8Array[], count: number, seeds: number[], options: { signal?: AbortSignal } = {}): Promise<Float32Array[]> {
    if (crops.length === 0 || count === 0) {
      return [];
    }
    const task = { kind: 'augmentAndEmbed', crops, count, seeds } as const;
    const { embeddings } = await run(this.pool, 'augmentAndEmbed', task, options.signal);
    return embeddings;
  }

  stats(): EngineStats {
    const s = this.pool.stats();
    return {
      workers: s.size,
      busyWorkers: s.busy,
      queueDepth: s.queueDepth,
      queueLimit: s.queueLimit,
      tasksCompleted: s.completed,
      tasksFailed: s.failed,
      workerRestarts: s.restarts,
      latencyMs: s.latencyMs,
    };
  }

  describe(): EngineDescription {
    return { kind: 'local', workers: this.pool.stats().size, workerProcesses: [] };
  }

  close(): Promise<void> {
    return this.pool.close();
  }
}

/** One task through the pool: its own kind of result back, or a domain error. */
async function run<K extends FaceTaskKind>(
  pool: WorkerPool<FaceTask, FaceTaskResult>,
  kind: K,
  task: FaceTaskOf<K>,
  signal?: AbortSignal,
): Promise<FaceResultOf<K>> {
  let result: FaceTaskResult;
  try {
    result = await pool.run(task, signal ? { signal } : {});
  } catch (error) {
    throw mapEngineFailure(error, () => retryAfterSeconds(pool));
  }
  if (!isResultOf(result, kind)) {
    throw new Error(`face worker answered a ${result.kind} result to a ${kind} task`);
  }
  return result;
}

/**
 * When a retry is likely to get a worker: about as long as a task submitted
 * recently took from run() to result (queue wait included), i.e. the time the
 * queue takes to turn over at the current load. 1 s before any task finished.
 */
function retryAfterSeconds(pool: WorkerPool<FaceTask, FaceTaskResult>): number {
  const p50 = pool.stats().latencyMs.p50;
  return Math.min(MAX_RETRY_AFTER_SECONDS, Math.max(1, Math.ceil(p50 / 1000)));
}
