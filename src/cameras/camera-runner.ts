// One live camera: capture -> drop-oldest queue -> face engine (every Nth
// frame) -> tracker -> recognizer -> voting -> events. Engine, recognizer,
// clock and capture are injected so tests can hand real or fake parts.
//
// Up to `analysisConcurrency` frames are in the engine at once (one per pool
// worker), but results are applied to the tracker strictly in frame order.
// Frames are detected without embeddings when every visible track is settled;
// if such a frame turns out to hold a face that needs one (a new face, a jump),
// the same frame is analysed again with embeddings, so a new face is never
// left a frame behind.
import type { CameraId } from '../domain/ids.js';
import type { AnalyzeOptions, DetectedFace, FrameAnalysis } from '../vision/types.js';
import { iou } from './box-geometry.js';
import type { CameraInfo, CameraState, FrameEvent, FrameFace, RecognizedEvent } from './camera-events.js';
import { CameraCapture, type CaptureHandlers, type CaptureOptions, type CaptureState, type CaptureStats, type CapturedFrame } from './capture.js';
import type { BackoffOptions } from './backoff.js';
import type { FaceDecision, RecognizeFaces } from './decision.js';
import { DropOldestQueue } from './frame-queue.js';
import { LatencyWindow } from '../math/latency-window.js';
import { RateMeter } from './metrics.js';
import { describeCameraSource, type CameraSource } from './source.js';
import { FaceTracker, type TrackId, type TrackerOptions } from './tracker.js';
import { TrackVoting, type VotingOptions } from './voting.js';

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
  onRecognized?(event: RecognizedEvent): void;
  onStateChange?(info: CameraInfo): void;
  captureFactory?: CaptureFactory;
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
  readonly #voting: TrackVoting;
  readonly #crops = new Map<TrackId, { score: number; jpeg: Uint8Array }>();
  readonly #lastDecision = new Map<TrackId, FaceDecision>();
  /** Votes held while a track is suspect (its last embedding looked like someone else). */
  readonly #held = new Map<TrackId, FaceDecision>();
  readonly #fpsIn = new RateMeter();
  readonly #fpsProcessed = new RateMeter();
  readonly #latency = new LatencyWindow(200);
  #capture: FrameCapture | undefined;
  #running = false;
  #active = 0;
  #chain: Promise<void> = Promise.resolve();
  #captured = 0;
  #processed = 0;
  #failed = 0;
  #recognitions = 0;
  #startedAt: number | null = null;
  #lastFrameAt: number | null = null;
  #lastError: string | null = null;
  /** Last connected geometry, still shown once the camera stops. */
  #geometry: { width: number; height: number; fps: number } | null = null;
  #lastFailureLog = 0;

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
    this.#voting = new TrackVoting(options.voting);
  }

  get running(): boolean {
    return this.#running;
  }

  start(): void {
    if (this.#running) {
      return;
    }
    this.#running = true;
    this.#startedAt = this.#clock();
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
        onSkipped: () => this.#fpsIn.tick(this.#clock()),
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
      this.#forget(track.id);
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
    const state = this.#capture?.state;
    const stats = this.#capture?.stats();
    const now = this.#clock();
    return {
      cameraId: this.cameraId,
      name: this.#o.name ?? null,
      source: describeCameraSource(this.#o.source),
      state: toCameraState(state, this.#running),
      error: state?.kind === 'reconnecting' ? state.error : this.#lastError,
      stoppedReason: !this.#running ? 'requested' : state?.kind === 'stopped' ? state.reason : null,
      reconnectAttempt: state?.kind === 'reconnecting' ? state.attempt : 0,
      nextRetryAt: state?.kind === 'reconnecting' ? state.retryAt : null,
      width: this.#geometry?.width ?? null,
      height: this.#geometry?.height ?? null,
      sourceFps: this.#geometry?.fps ?? null,
      fpsIn: round1(this.#fpsIn.rate(now)),
      fpsProcessed: round1(this.#fpsProcessed.rate(now)),
      predictInterval: this.#interval,
      framesCaptured: this.#captured + (stats?.framesSkipped ?? 0),
      framesProcessed: this.#processed,
      framesDropped: this.#queue.dropped + (stats?.framesSkipped ?? 0),
      framesFailed: this.#failed,
      latencyMs: this.#latency.summary(),
      activeTracks: this.#tracker.tracks().length,
      recognitions: this.#recognitions,
      startedAt: this.#startedAt,
      lastFrameAt: this.#lastFrameAt,
    };
  }

  #onCaptureState(state: CaptureState): void {
    if (state.kind === 'reconnecting') {
      this.#lastError = state.error;
      this.#log.warn({ cameraId: this.cameraId, attempt: state.attempt, retryInMs: state.retryInMs, error: state.error }, 'camera reconnecting');
    } else if (state.kind === 'connected') {
      this.#geometry = { width: state.width, height: state.height, fps: state.fps };
      this.#lastError = null;
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
    this.#captured += 1;
    this.#lastFrameAt = frame.capturedAt;
    this.#fpsIn.tick(this.#clock());
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
    const embed = this.#tracker.anyNeedsEmbeddingNext((id) => this.#voting.isSettled(id));
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
    const options: AnalyzeOptions = { embed, alignedCrops: embed && this.#snapshots };
    if (this.#o.minFaceSize !== undefined) {
      options.minFaceSize = this.#o.minFaceSize;
    }
    try {
      return { ok: true, value: await this.#o.engine.analyzeRaw(frame, options) };
    } catch (error) {
      return { ok: false, error };
    }
  }

  async #handle(frame: CapturedFrame, analysis: Analysis, embedded: boolean): Promise<void> {
    if (!analysis.ok) {
      this.#failed += 1;
      const now = this.#clock();
      if (now - this.#lastFailureLog > 5000) {
        this.#lastFailureLog = now;
        this.#log.warn({ cameraId: this.cameraId, err: analysis.error, failed: this.#failed }, 'engine failed on a camera frame');
      }
      return;
    }
    if (!this.#running) {
      return;
    }
    let faces: DetectedFace[] = analysis.value.faces;
    const update = this.#tracker.update(
      faces.map((f) => f.box),
      frame.capturedAt,
    );
    for (const lost of update.lost) {
      this.#forget(lost.id);
    }
    const trackIds = update.matches.map((m) => m.trackId);
    const wanted = trackIds.map((id, i) => faces[i]!.embedding === undefined && this.#tracker.needsEmbedding(id, this.#voting.isSettled(id)));
    if (!embedded && wanted.some(Boolean)) {
      const second = await this.#analyze(frame, true);
      if (second.ok) {
        faces = attachEmbeddings(faces, second.value.faces);
      }
    }

    // Every face that has an embedding votes, wanted or not: the work is done already.
    const embeddedIdx = faces.flatMap((f, i) => (f.embedding === undefined ? [] : [i]));
    const checks = embeddedIdx.map((i) => {
      const check = this.#tracker.recordEmbedding(trackIds[i]!, faces[i]!.embedding!, frame.capturedAt);
      if (check.kind === 'split') {
        const held = this.#held.get(check.ended.id);
        this.#forget(check.ended.id);
        trackIds[i] = check.trackId;
        return { check, held };
      }
      return { check, held: undefined };
    });
    let decisions: readonly FaceDecision[] = [];
    if (embeddedIdx.length > 0) {
      try {
        decisions = await this.#o.recognize(embeddedIdx.map((i) => ({ embedding: faces[i]!.embedding!, quality: faces[i]!.quality })));
      } catch (error) {
        this.#log.error({ cameraId: this.cameraId, err: error }, 'recognizer failed on a camera frame');
      }
    }
    const now = this.#clock();
    const recognized: RecognizedEvent[] = [];
    embeddedIdx.forEach((i, k) => {
      const decision = decisions[k];
      const { check, held } = checks[k]!;
      const trackId = trackIds[i]!;
      if (decision === undefined) {
        return;
      }
      switch (check.kind) {
        case 'suspect':
          // Someone else, or a bad frame? Hold the vote until the next look decides.
          this.#held.set(trackId, decision);
          return;
        case 'same':
          this.#held.delete(trackId);
          break;
        case 'split':
          if (held !== undefined) {
            this.#vote(trackId, held, faces[i]!, frame, now, recognized);
          }
          break;
      }
      this.#vote(trackId, decision, faces[i]!, frame, now, recognized);
    });

    const frameFaces: FrameFace[] = faces.map((face, i) => this.#describe(face, trackIds[i]!));
    const latencyMs = now - frame.capturedAt;
    this.#latency.record(latencyMs);
    this.#processed += 1;
    this.#fpsProcessed.tick(now);
    const event: FrameEvent = {
      cameraId: this.cameraId,
      frameNumber: frame.frameNumber,
      timestamp: frame.capturedAt,
      mediaTimeMs: frame.mediaTimeMs,
      width: analysis.value.width,
      height: analysis.value.height,
      faces: frameFaces,
      latencyMs,
    };
    this.#safely('frame listener', () => this.#o.onFrame?.(event));
    for (const r of recognized) {
      this.#recognitions += 1;
      this.#log.info({ cameraId: this.cameraId, trackId: r.trackId, employeeId: r.employeeId, confidence: r.confidence }, 'face recognized');
      this.#safely('recognized listener', () => this.#o.onRecognized?.(r));
    }
  }

  #vote(trackId: TrackId, decision: FaceDecision, face: DetectedFace, frame: CapturedFrame, now: number, out: RecognizedEvent[]): void {
    this.#lastDecision.set(trackId, decision);
    this.#keepBestCrop(trackId, face);
    const vote = this.#voting.vote(trackId, decision, now);
    if (!vote.decided || vote.identity.kind !== 'recognized') {
      return;
    }
    const crop = this.#crops.get(trackId)?.jpeg;
    out.push({
      cameraId: this.cameraId,
      trackId,
      employeeId: vote.identity.employeeId,
      confidence: vote.identity.confidence,
      method: vote.identity.method,
      at: now,
      firstSeenAt: this.#tracker.get(trackId)?.firstSeenAt ?? frame.capturedAt,
      frameNumber: frame.frameNumber,
      mediaTimeMs: frame.mediaTimeMs,
      box: face.box,
      ...(crop === undefined ? {} : { snapshotJpeg: crop }),
    });
  }

  #describe(face: DetectedFace, trackId: TrackId): FrameFace {
    const identity = this.#voting.identity(trackId);
    const last = this.#lastDecision.get(trackId);
    const base = { box: face.box, trackId, detectionScore: face.score };
    switch (identity.kind) {
      case 'recognized':
        return { ...base, status: 'recognized', employeeId: identity.employeeId, confidence: identity.confidence, method: identity.method };
      case 'unknown':
        return { ...base, status: 'unknown', employeeId: null, confidence: identity.confidence, method: null };
      case 'pending':
        return { ...base, status: 'pending', employeeId: null, confidence: last?.confidence ?? null, method: null };
    }
  }

  #keepBestCrop(trackId: TrackId, face: DetectedFace): void {
    if (face.alignedJpeg === undefined) {
      return;
    }
    const best = this.#crops.get(trackId);
    if (best === undefined || face.quality.score > best.score) {
      this.#crops.set(trackId, { score: face.quality.score, jpeg: face.alignedJpeg });
    }
  }

  #forget(trackId: TrackId): void {
    this.#voting.forget(trackId);
    this.#crops.delete(trackId);
    this.#lastDecision.delete(trackId);
    this.#held.delete(trackId);
  }

  #safely(what: string, fn: () => void): void {
    try {
      fn();
    } catch (error) {
      this.#log.error({ cameraId: this.cameraId, err: error }, `camera ${what} failed`);
    }
  }
}

/** Copies embeddings (and crops) from a second analysis of the same frame onto the first one's faces. */
function attachEmbeddings(faces: DetectedFace[], embeddedFaces: readonly DetectedFace[]): DetectedFace[] {
  return faces.map((face) => {
    let best: DetectedFace | undefined;
    let bestIou = 0.5;
    for (const other of embeddedFaces) {
      const overlap = iou(face.box, other.box);
      if (other.embedding !== undefined && overlap > bestIou) {
        best = other;
        bestIou = overlap;
      }
    }
    return best === undefined ? face : { ...face, embedding: best.embedding, alignedJpeg: best.alignedJpeg ?? face.alignedJpeg, quality: best.quality };
  });
}

function toCameraState(state: CaptureState | undefined, running: boolean): CameraState {
  if (!running || state === undefined) {
    return 'stopped';
  }
  return state.kind;
}

const round1 = (n: number): number => Math.round(n * 10) / 10;
