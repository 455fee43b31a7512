// All live cameras of this server, by id: start, stop and restart at run
// time, and cameraInfo for every one. A camera that fails only affects
// itself: its runner reconnects on its own, and listener errors are contained.
import type { CameraId } from '../domain/ids.js';
import type { CameraInfo } from './camera-info.js';
import type { FrameEvent, TrackDecided } from './events.js';
import { CameraRunner, type CameraLogger, type CameraRunnerOptions, type FrameAnalyzer } from './camera-runner.js';
import type { RecognizeFaces } from './face-decision.js';
import { parseCameraSource, type CameraSource } from './source.js';

/** A camera as stored (Prisma `Camera`) or given in the environment. */
export interface CameraSpec {
  id: CameraId;
  name?: string;
  /** Either as written ("0", "rtsp://...", "videos/door.mp4") or already parsed. */
  source: string | CameraSource;
  loop?: boolean;
  width?: number | null;
  height?: number | null;
  fps?: number | null;
  predictInterval?: number | null;
  /** Files: play in real time (default) or as fast as the pipeline goes. */
  realtime?: boolean;
}

export interface CameraDefaults {
  width: number;
  height: number;
  fps: number;
  predictInterval: number;
}

/** Everything a runner takes except what a spec says per camera. */
export type SharedRunnerOptions = Omit<
  CameraRunnerOptions,
  'cameraId' | 'name' | 'source' | 'width' | 'height' | 'fps' | 'predictInterval' | 'realtime' | 'engine' | 'recognize' | 'onFrame' | 'onRecognized' | 'onStateChange'
>;

export interface CameraManagerDeps {
  engine: FrameAnalyzer;
  recognize: RecognizeFaces;
  defaults: CameraDefaults;
  logger?: CameraLogger;
  onFrame?(event: FrameEvent): void;
  onRecognized?(event: TrackDecided): void;
  onStateChange?(info: CameraInfo): void;
  /** Tracker, voting, queue, clock, capture factory... for every camera. */
  runner?: SharedRunnerOptions;
}

export class InvalidCameraSourceError extends Error {
  override readonly name = 'InvalidCameraSourceError';
}

export class CameraManager {
  readonly #runners = new Map<CameraId, CameraRunner>();

  constructor(private readonly deps: CameraManagerDeps) {}

  /** Starts the camera, replacing (stopping) a runner already there for the same id. */
  async start(spec: CameraSpec): Promise<CameraInfo> {
    const source = resolveSource(spec);
    await this.#runners.get(spec.id)?.stop();
    const d = this.deps.defaults;
    const runner = new CameraRunner({
      ...this.deps.runner,
      cameraId: spec.id,
      source,
      width: spec.width ?? d.width,
      height: spec.height ?? d.height,
      fps: spec.fps ?? d.fps,
      predictInterval: spec.predictInterval ?? d.predictInterval,
      engine: this.deps.engine,
      recognize: this.deps.recognize,
      ...(spec.name === undefined ? {} : { name: spec.name }),
      ...(spec.realtime === undefined ? {} : { realtime: spec.realtime }),
      ...(this.deps.logger === undefined ? {} : { logger: this.deps.logger }),
      onFrame: (event) => this.deps.onFrame?.(event),
      onRecognized: (event) => this.deps.onRecognized?.(event),
      onStateChange: (info) => this.deps.onStateChange?.(info),
    });
    this.#runners.set(spec.id, runner);
    runner.start();
    return runner.info();
  }

  /** Stops the camera; its info stays (state 'stopped') until remove(). Returns false if unknown. */
  async stop(id: CameraId): Promise<boolean> {
    const runner = this.#runners.get(id);
    if (runner === undefined) {
      return false;
    }
    await runner.stop();
    return true;
  }

  /** Stops and forgets the camera (it was deleted). */
  async remove(id: CameraId): Promise<boolean> {
    const stopped = await this.stop(id);
    this.#runners.delete(id);
    return stopped;
  }

  async restart(spec: CameraSpec): Promise<CameraInfo> {
    return this.start(spec);
  }

  info(id: CameraId): CameraInfo | undefined {
    return this.#runners.get(id)?.info();
  }

  infoAll(): CameraInfo[] {
    return [...this.#runners.values()].map((r) => r.info());
  }

  isRunning(id: CameraId): boolean {
    return this.#runners.get(id)?.running ?? false;
  }

  /** For tests and benchmarks: wait until a camera has nothing queued or in the engine. */
  async idle(id: CameraId): Promise<void> {
    await this.#runners.get(id)?.idle();
  }

  async stopAll(): Promise<void> {
    await Promise.all([...this.#runners.values()].map((r) => r.stop()));
  }
}

function resolveSource(spec: CameraSpec): CameraSource {
  if (typeof spec.source !== 'string') {
    return spec.source;
  }
  const parsed = parseCameraSource(spec.source, { loop: spec.loop ?? false });
  if (!parsed.ok) {
    throw new InvalidCameraSourceError(parsed.error);
  }
  return parsed.source;
}
