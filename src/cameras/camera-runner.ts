// One live camera: capture -> drop-oldest queue -> face engine (every Nth
// frame) -> tracker -> recognizer -> voting -> events. Engine, recognizer,
// clock and capture are injected so tests can hand real or fake parts.
//
// Up to `analysisConcurrency` frames are in the engine at once (one per pool
// worker), but results are applied to the tracker strictly in frame order.
// When to embed: embedding-pass.ts; who each track is: track-identities.ts;
// the figures of cameraInfo: runner-stats.ts.
import type { CameraId } from '../domain/ids.js';
import type { AnalyzeOptions, DetectedFace, FrameAnalysis } from '../vision/types.js';
import type { CameraInfo } from './camera-info.js';
import type { CameraAttackEvent, FrameEvent, TrackDecided } from './events.js';
import { CameraCapture, type CaptureHandlers, type CaptureOptions, type CaptureState, type CaptureStats, type CapturedFrame } from './capture.js';
import type { BackoffOptions } from './backoff.js';
import type { FaceDecision, RecognizeFaces } from './face-decision.js';
import { attachEmbeddings, embedNextFrame, needsSecondPass } from './embedding-pass.js';
import { DropOldestQueue } from './frame-queue.js';
import { RunnerStats } from './runner-stats.js';
import { describeCameraSource, type CameraSource } from './source.js';
import { TrackIdentities, type FaceVote } from './track-identities.js';
import { TrackLiveness, type TrackLivenessOptions } from './track-liveness.js';
import { FaceTracker, type TrackId, type TrackerOptions } from './tracker.js';
import type { VotingOptions } from './voting.js';

/** The engine as the runner needs it; a FaceEngine fits (it takes any RawFrame). */
export interface FrameAnalyzer {
  analyzeRaw(frame: CapturedFrame, options?: AnalyzeOptions): Promise<FrameAnalysis>;
}

export interface FrameCapture {
  readonly state: CaptureState;
  start(): void;
  stop(): Promise<void>;
  stats(): CaptureStats;
}

export type CaptureFactory = (options: CaptureOptions, handlers: CaptureHandlers) => FrameCapture;

/** pino's Logger fits. */
export interface CameraLogger {
  debug(obj: object, msg?: string): void;
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
  error(obj: object, msg?: string): void;
}

export interface CameraRunnerOptions {
  cameraId: CameraId;
  name?: string;
  source: CameraSource;
  width?: number;
  height?: number;
  fps?: number;
  /** Process every Nth captured frame (PREDICT_INTERVAL). Default 1. */
  predictInterval?: number;
  /** Files: play at their frame rate (default) or, false, as fast as the pipeline goes without dropping. */
  realtime?: boolean;
  /** Frames waiting for the engine; the oldest is dropped beyond this. Default 2. */
  queueCapacity?: number;
  /** Frames in the engine at once. Default 2. */
  analysisConcurrency?: number;
  engine: FrameAnalyzer;
  recognize: RecognizeFaces;
  /** Epoch ms; must be comparable with capture timestamps (performance.timeOrigin + performance.now()). */
  clock?: () => number;
  tracker?: Partial<TrackerOptions>;
  voting?: Partial<VotingOptions>;
  /** Ask the engine for aligned crops to attach to recognized events. Default true. */
  snapshots?: boolean;
  minFaceSize?: number;
  backoff?: BackoffOptions;
  logger?: CameraLogger;
  onFrame?(event: FrameEvent): void;
  onRecognized?(event: TrackDecided): void;
  onStateChange?(info: CameraInfo): void;
  /** Every captured frame, before the interval or the queue drop it (live previews); must return at once, and copy what it keeps. */
  onCaptured?(cameraId: CameraId, frame: CapturedFrame): void;
  captureFactory?: CaptureFactory;
  /** Passive liveness per track (frames of new or undecided tracks are scored); absent = off. */
  liveness?: TrackLivenessOptions;
  /** A track judged not live (once per track). */
  onPresentationAttack?(event: CameraAttackEvent): void;
}

interface QueuedFrame {
  frame: CapturedFrame;
  release: () => void;
}

type Analysis = { ok: true; value: FrameAnalysis } | { ok: false; error: unknown };

const defaultClock = (): number => performance.timeOrigin + performance.now();
const silent: CameraLogger = { debug() {}, info() {}, warn() {}, error() {} };

export class CameraRunner {
  readonly cameraId: CameraId;
  readonly #o: CameraRunnerOptions;
  readonly #clock: () => number;
  readonly #log: CameraLogger;
  readonly #interval: number;
  readonly #concurrency: number;
  readonly #snapshots: boolean;
  readonly #queue: DropOldestQueue<QueuedFrame>;
  readonly #tracker: FaceTracker;
  readonly #identities: TrackIdentities;
  readonly #liveness: TrackLiveness | undefined;
  readonly #stats = new RunnerStats();
  #capture: FrameCapture | undefined;
  #running = false;
  #active = 0;
  #chain: Promise<void> = Promise.resolve();

  constructor(options: CameraRunnerOptions) {
    this.#o = options;
    this.cameraId = options.cameraId;
    this.#clock = options.clock ?? defaultClock;
    this.#log = options.logger ?? silent;
    this.#interval = Math.max(1, Math.floor(options.predictInterval ?? 1));
    this.#concurrency = Math.max(1, options.analysisConcurrency ?? 2);
    this.#snapshots = options.snapshots ?? true;
    this.#queue = new DropOldestQueue<QueuedFrame>(options.queueCapacity ?? 2, (item) => item.release());
    this.#tracker = new FaceTracker(options.tracker);
    this.#identities = new TrackIdentities(options.cameraId, options.voting);
    this.#liveness = options.liveness ? new TrackLiveness(options.liveness) : undefined;
  }

  get running(): boolean {
    return this.#running;
  }

  start(): void {
    if (this.#running) {
      return;
    }
    this.#running = true;
    this.#stats.started(this.#clock());
    const factory = this.#o.captureFactory ?? ((options, handlers) => new CameraCapture(options, handlers));
    this.#capture = factory(
      {
        source: this.#o.source,
        width: this.#o.width,
        height: this.#o.height,
        fps: this.#o.fps,
        realtime: this.#o.realtime ?? true,
        // Lossless: exactly what the queue and the engine hold, so the queue never drops.
        // Live: a little more, so the queue drops its OLDEST frame before the capture has
        // to skip the newest (the capture's limit only guards against a stalled server).
        maxInFlight: (this.#o.queueCapacity ?? 2) + this.#concurrency + (this.#lossless() ? 0 : 2),
        backoff: this.#o.backoff,
      },
      {
        onFrame: (frame, release) => this.#onCaptured(frame, release),
        onState: (state) => this.#onCaptureState(state),
        // Skipped frames were still read from the source: they count for fps in.
        onSkipped: () => this.#stats.skipped(this.#clock()),
      },
    );
    this.#capture.start();
  }

  #lossless(): boolean {
    return this.#o.source.kind === 'file' && this.#o.realtime === false;
  }

  /** Stops capture, drops queued frames and waits for frames already in the engine. */
  async stop(): Promise<void> {
    if (!this.#running) {
      return;
    }
    this.#running = false;
    await this.#capture?.stop();
    this.#queue.clear();
    await this.#chain;
    for (const track of this.#tracker.clear()) {
      this.#identities.forget(track.id);
      this.#liveness?.forget(track.id);
    }
    this.#emitState();
  }

  /** Resolves once no frame is queued or in the engine (tests, benchmarks). */
  async idle(): Promise<void> {
    while (this.#active > 0 || this.#queue.length > 0) {
      await this.#chain;
      await new Promise((resolve) => setImmediate(resolve));
    }
  }

  info(): CameraInfo {
    const capture = this.#capture;
    return this.#stats.info({
      cameraId: this.cameraId,
      name: this.#o.name ?? null,
      source: describeCameraSource(this.#o.source),
      running: this.#running,
      capture: capture === undefined ? undefined : { state: capture.state, stats: capture.stats() },
      predictInterval: this.#interval,
      queueDropped: this.#queue.dropped,
      activeTracks: this.#tracker.tracks().length,
      now: this.#clock(),
    });
  }

  #onCaptureState(state: CaptureState): void {
    this.#stats.captureState(state);
    if (state.kind === 'reconnecting') {
      this.#log.warn({ cameraId: this.cameraId, attempt: state.attempt, retryInMs: state.retryInMs, error: state.error }, 'camera reconnecting');
    } else if (state.kind === 'connected') {
      this.#log.info({ cameraId: this.cameraId, width: state.width, height: state.height, fps: state.fps }, 'camera connected');
    } else if (state.kind === 'stopped' && state.reason === 'ended') {
      this.#log.info({ cameraId: this.cameraId }, 'camera file ended');
    }
    this.#emitState();
  }

  #emitState(): void {
    try {
      this.#o.onStateChange?.(this.info());
    } catch (error) {
      this.#log.error({ cameraId: this.cameraId, err: error }, 'camera state listener failed');
    }
  }

  #onCaptured(frame: CapturedFrame, release: () => void): void {
    this.#stats.captured(frame.capturedAt, this.#clock());
    if (this.#o.onCaptured !== undefined) {
      this.#safely('capture listener', () => this.#o.onCaptured?.(this.cameraId, frame));
    }
    if (!this.#running || (frame.frameNumber - 1) % this.#interval !== 0) {
      release();
      return;
    }
    this.#queue.push({ frame, release });
    this.#pump();
  }

  #pump(): void {
    while (this.#running && this.#active < this.#concurrency) {
      const item = this.#queue.shift();
      if (item === undefined) {
        return;
      }
      this.#active += 1;
      this.#begin(item);
    }
  }

  #begin(item: QueuedFrame): void {
    // Plan from the tracks as they stand; a face this misses gets a second pass.
    const embed = embedNextFrame(this.#tracker, this.#isSettled);
    // The engine may take (transfer) the pixels; keep ours for a possible second pass.
    const input: CapturedFrame = embed ? item.frame : { ...item.frame, data: item.frame.data.slice() };
    const analysis = this.#analyze(input, embed);
    this.#chain = this.#chain
      .then(async () => this.#handle(item.frame, await analysis, embed))
      .catch((error: unknown) => this.#log.error({ cameraId: this.cameraId, err: error }, 'camera frame handling failed'))
      .finally(() => {
        item.release();
        this.#active -= 1;
        this.#pump();
      });
  }

  async #analyze(frame: CapturedFrame, embed: boolean): Promise<Analysis> {
    // Liveness with the embedding: only frames of new or undecided tracks are embedded.
    const options: AnalyzeOptions = { embed, alignedCrops: embed && this.#snapshots, liveness: embed && this.#liveness !== undefined };
    if (this.#o.minFaceSize !== undefined) {
      options.minFaceSize = this.#o.minFaceSize;
    }
    try {
      return { ok: true, value: await this.#o.engine.analyzeRaw(frame, options) };
    } catch (error) {
      return { ok: false, error };
    }
  }

  readonly #isSettled = (id: TrackId): boolean => this.#identities.isSettled(id);

  /** One analysed frame, in frame order: track, embed if needed, recognize and vote, publish. */
  async #handle(frame: CapturedFrame, analysis: Analysis, embedded: boolean): Promise<void> {
    if (!analysis.ok) {
      if (this.#stats.failed(this.#clock())) {
        this.#log.warn({ cameraId: this.cameraId, err: analysis.error, failed: this.#stats.failures }, 'engine failed on a camera frame');
      }
      return;
    }
    if (!this.#running) {
      return;
    }
    let faces: DetectedFace[] = analysis.value.faces;
    const trackIds = this.#track(faces, frame.capturedAt);
    if (!embedded && needsSecondPass(faces, trackIds, this.#tracker, this.#isSettled)) {
      const second = await this.#analyze(frame, true);
      if (second.ok) {
        faces = attachEmbeddings(faces, second.value.faces);
      }
    }
    const now = this.#clock();
    const recognized = await this.#recognize(faces, trackIds, frame.capturedAt);
    // A spoofed track never names anyone (track-liveness.ts).
    const { votes, attacks } = this.#liveness ? this.#liveness.judgeVotes(recognized, this.cameraId, now) : { votes: recognized, attacks: [] };
    const decided = this.#identities.apply(votes, frame, now, (id) => this.#tracker.get(id)?.firstSeenAt);
    this.#publish(frame, analysis.value, faces, trackIds, decided, now);
    for (const a of attacks) {
      this.#log.warn({ cameraId: this.cameraId, trackId: a.trackId, livenessScore: a.livenessScore }, 'track judged not live');
      this.#safely('presentation attack listener', () => this.#o.onPresentationAttack?.(a));
    }
  }

  /** Matches the faces to tracks (one id per face); lost tracks are forgotten. */
  #track(faces: readonly DetectedFace[], at: number): TrackId[] {
    const update = this.#tracker.update(
      faces.map((f) => f.box),
      at,
    );
    for (const lost of update.lost) {
      this.#identities.forget(lost.id);
      this.#liveness?.forget(lost.id);
    }
    return update.matches.map((m) => m.trackId);
  }

  /**
   * Every face that has an embedding votes, wanted or not (the work is done
   * already): its appearance is checked against its track (a split gives it a
   * new track id, in `trackIds` too), then the recognizer decides.
   */
  async #recognize(faces: readonly DetectedFace[], trackIds: TrackId[], at: number): Promise<FaceVote[]> {
    const embeddedIdx = faces.flatMap((f, i) => (f.embedding === undefined ? [] : [i]));
    if (embeddedIdx.length === 0) {
      return [];
    }
    const checks = embeddedIdx.map((i) => {
      const check = this.#tracker.recordEmbedding(trackIds[i]!, faces[i]!.embedding!, at);
      if (check.kind !== 'split') {
        return { check, held: undefined };
      }
      const held = this.#identities.heldVote(check.ended.id);
      this.#identities.forget(check.ended.id);
      this.#liveness?.forget(check.ended.id);
      trackIds[i] = check.trackId;
      return { check, held };
    });
    let decisions: readonly FaceDecision[] = [];
    try {
      decisions = await this.#o.recognize(embeddedIdx.map((i) => ({ embedding: faces[i]!.embedding!, quality: faces[i]!.quality })));
    } catch (error) {
      this.#log.error({ cameraId: this.cameraId, err: error }, 'recognizer failed on a camera frame');
    }
    return embeddedIdx.map((i, k) => ({
      trackId: trackIds[i]!,
      face: faces[i]!,
      decision: decisions[k],
      check: checks[k]!.check.kind,
      held: checks[k]!.held,
    }));
  }

  #publish(frame: CapturedFrame, analysis: FrameAnalysis, faces: readonly DetectedFace[], trackIds: readonly TrackId[], decided: readonly TrackDecided[], now: number): void {
    const latencyMs = now - frame.capturedAt;
    this.#stats.processed(latencyMs, now);
    const event: FrameEvent = {
      cameraId: this.cameraId,
      frameNumber: frame.frameNumber,
      timestamp: frame.capturedAt,
      mediaTimeMs: frame.mediaTimeMs,
      width: analysis.width,
      height: analysis.height,
      faces: faces.map((face, i) => this.#identities.describe(face, trackIds[i]!)),
      latencyMs,
    };
    this.#safely('frame listener', () => this.#o.onFrame?.(event));
    for (const r of decided) {
      this.#stats.recognized();
      this.#log.info({ cameraId: this.cameraId, trackId: r.trackId, employeeId: r.employeeId, confidence: r.confidence }, 'face recognized');
      this.#safely('recognized listener', () => this.#o.onRecognized?.(r));
    }
  }

  #safely(what: string, fn: () => void): void {
    try {
      fn();
    } catch (error) {
      this.#log.error({ cameraId: this.cameraId, err: error }, `camera ${what} failed`);
    }
  }
}
