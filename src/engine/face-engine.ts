// The face engine as the rest of the server sees it: a worker-thread pool in
// this process (pool-face-engine.ts, FACE_ENGINE=local), or a client of a job
// queue served by worker processes on any machine (queue/queue-face-engine.ts,
// FACE_ENGINE=queue). Its methods fail only with domain errors (engine-errors.ts):
// InvalidImageError (400), PayloadTooLargeError (413), EngineBusyError (503
// with retryAfterSeconds: queue full, timeout, crashed worker, stopping, no worker),
// UnavailableError (503: the models do not load), or the caller's AbortError.
import type { ModelPackId } from '../domain/ids.js';
import type { AnalyzeOptions, FrameAnalysis } from '../vision/types.js';

export interface EngineStats {
  workers: number;
  busyWorkers: number;
  queueDepth: number;
  queueLimit: number;
  tasksCompleted: number;
  tasksFailed: number;
  workerRestarts: number;
  latencyMs: { p50: number; p95: number; max: number };
}

/** Which engine serves this instance, and with how many workers (system info). */
export interface EngineDescription {
  /** local: worker threads in this process; queue: jobs on Redis for `npm run worker` processes. */
  kind: 'local' | 'queue';
  /** Threads running the face pipeline: this process's pool, or those of every live queue worker. */
  workers: number;
  /** Queue engine: the worker processes alive now (empty for local), with the jobs each answered for this instance. */
  workerProcesses: { id: string; host: string; threads: number; jobs: number }[];
}

export interface FaceEngine {
  readonly modelId: ModelPackId;
  readonly embeddingSize: number;
  /** Decode an encoded image (JPEG/PNG/WebP) and detect, align, assess and embed every face. */
  analyze(image: Uint8Array, options?: AnalyzeOptions): Promise<FrameAnalysis>;
  /** Same on a raw BGR frame (from a camera), avoiding an encode/decode round trip. */
  analyzeRaw(frame: RawFrame, options?: AnalyzeOptions): Promise<FrameAnalysis>;
  /** Embed aligned 112x112 crops (augmented enrollment variants), one embedding per crop. */
  embedAligned(crops: Uint8Array[], options?: { signal?: AbortSignal }): Promise<Float32Array[]>;
  /**
   * Enrollment: `count` augmented variants (src/enrollment/augment.ts) of each encoded aligned crop,
   * embedded, all inside the engine (crop-major order). Optional: without it callers augment themselves.
   */
  augmentAndEmbed?(crops: Uint8Array[], count: number, seeds: number[], options?: { signal?: AbortSignal }): Promise<Float32Array[]>;
  stats(): EngineStats;
  /** Which engine this is; absent on stand-ins (read as local with stats().workers). */
  describe?(): EngineDescription;
  close(): Promise<void>;
}

export interface RawFrame {
  /** Packed BGR bytes, rows * cols * 3. */
  data: Uint8Array;
  rows: number;
  cols: number;
}
