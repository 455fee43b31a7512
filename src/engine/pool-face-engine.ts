// FaceEngine on top of the generic worker pool: every decode/inference runs in
// a face worker, the event loop only moves bytes.
import type { Logger } from 'pino';
import type { ModelPackId } from '../domain/ids.js';
import type { FaceTask, FaceTaskResult, PackInfo } from '../vision/face-tasks.js';
import { ImageDecodeError, isImageDecodeError } from '../vision/image-errors.js';
import type { PipelineConfig } from '../vision/pack-config.js';
import type { AnalyzeOptions, FrameAnalysis } from '../vision/types.js';
import { WorkerPool } from '../workers/pool.js';
import type { EngineStats, FaceEngine, RawFrame } from './face-engine.js';

export interface PoolFaceEngineOptions {
  pipeline: PipelineConfig;
  workers: number;
  queueLimit: number;
  taskTimeoutMs: number;
  logger?: Logger;
}

const WORKER_FILE = new URL('../workers/face-worker.ts', import.meta.url);

/** The pool rebuilds worker errors as plain Errors with name and code; give callers the real class back. */
function rehydrate(err: unknown): never {
  if (isImageDecodeError(err) && !(err instanceof ImageDecodeError)) {
    const e = err as ImageDecodeError;
    throw new ImageDecodeError(e.code, e.message, e.details ?? {});
  }
  throw err;
}

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
      const info = (await pool.run({ kind: 'info' })) as PackInfo;
      return new PoolFaceEngine(pool, info.modelId, info.embeddingSize);
    } catch (err) {
      await pool.close();
      throw err;
    }
  }

  async analyze(image: Uint8Array, options: AnalyzeOptions = {}): Promise<FrameAnalysis> {
    const { signal, ...rest } = options;
    return (await this.pool
      .run({ kind: 'analyze', image, options: rest }, signal ? { signal } : {})
      .catch(rehydrate)) as FrameAnalysis;
  }

  async analyzeRaw(frame: RawFrame, options: AnalyzeOptions = {}): Promise<FrameAnalysis> {
    const { signal, ...rest } = options;
    const plain: RawFrame = { data: frame.data, rows: frame.rows, cols: frame.cols };
    return (await this.pool
      .run({ kind: 'analyzeRaw', frame: plain, options: rest }, signal ? { signal } : {})
      .catch(rehydrate)) as FrameAnalysis;
  }

  async embedAligned(crops: Uint8Array[], options: { signal?: AbortSignal } = {}): Promise<Float32Array[]> {
    if (crops.length === 0) {
      return [];
    }
    return (await this.pool
      .run({ kind: 'embedAligned', crops }, options.signal ? { signal: options.signal } : {})
      .catch(rehydrate)) as Float32Array[];
  }

  async augmentAndEmbed(crops: Uint8Array[], count: number, seeds: number[], options: { signal?: AbortSignal } = {}): Promise<Float32Array[]> {
    if (crops.length === 0 || count === 0) {
      return [];
    }
    return (await this.pool
      .run({ kind: 'augmentAndEmbed', crops, count, seeds }, options.signal ? { signal: options.signal } : {})
      .catch(rehydrate)) as Float32Array[];
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

  close(): Promise<void> {
    return this.pool.close();
  }
}
