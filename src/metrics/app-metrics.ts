// The Prometheus metrics of one instance (prom-client), in a registry of its
// own (tests run several apps in one process) with `instance_id` on every
// series. Events are counted where they happen (hooks installed by app.ts
// and the composition root); states (queue depth, cameras, outbox) are read
// when Prometheus scrapes, through the watchers given to watch().
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { CameraInfo } from '../cameras/camera-info.js';
import type { InstanceId } from '../cluster/instance-id.js';
import type { EngineStats } from '../engine/face-engine.js';

/** What the scrape reads; each is optional so an app without an engine or cameras still serves metrics. */
export interface MetricWatchers {
  engine?: () => EngineStats | null;
  /** Cameras running in this instance. */
  cameras?: () => Promise<CameraInfo[]>;
  outboxDepth?: () => number;
}

const LATENCY_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

export type RecognitionSource = 'request' | 'camera';

export class AppMetrics {
  readonly registry = new Registry();
  readonly httpDuration: Histogram<'method' | 'route' | 'status_code'>;
  readonly graphqlDuration: Histogram<'operation' | 'type' | 'outcome'>;
  readonly engineTaskDuration: Histogram<'task'>;
  readonly engineTaskFailures: Counter<'task' | 'reason'>;
  readonly recognitions: Counter<'source' | 'result'>;
  readonly attendanceResults: Counter<'result'>;
  readonly attendanceWritten: Counter;
  readonly trainingDuration: Histogram<'outcome'>;
  #watchers: MetricWatchers = {};

  constructor(instanceId: InstanceId) {
    const registers = [this.registry];
    this.registry.setDefaultLabels({ instance_id: instanceId });
    // Includes nodejs_eventloop_lag_seconds (and its percentiles), heap, GC and CPU.
    collectDefaultMetrics({ register: this.registry });

    this.httpDuration = new Histogram({
      name: 'http_request_duration_seconds',
      help: 'HTTP requests by route pattern (not the raw URL), method and status',
      labelNames: ['method', 'route', 'status_code'],
      buckets: LATENCY_BUCKETS,
      registers,
    });
    this.graphqlDuration = new Histogram({
      name: 'graphql_operation_duration_seconds',
      help: 'GraphQL queries and mutations by operation name; outcome ok or error',
      labelNames: ['operation', 'type', 'outcome'],
      buckets: LATENCY_BUCKETS,
      registers,
    });
    this.engineTaskDuration = new Histogram({
      name: 'face_engine_task_duration_seconds',
      help: 'Face engine tasks from call to result (queue wait included)',
      labelNames: ['task'],
      buckets: LATENCY_BUCKETS,
      registers,
    });
    this.engineTaskFailures = new Counter({
      name: 'face_engine_task_failures_total',
      help: 'Face engine tasks that failed, by error code (ENGINE_BUSY, INVALID_IMAGE, ...) ',
      labelNames: ['task', 'reason'],
      registers,
    });
    this.recognitions = new Counter({
      name: 'face_recognitions_total',
      help: 'Faces decided: recognize requests per face, cameras per track (known = an employee, unknown = nobody)',
      labelNames: ['source', 'result'],
      registers,
    });
    this.attendanceResults = new Counter({
      name: 'attendance_recognitions_total',
      help: 'Recognitions handed to attendance, by result: logged, duplicate, queued (outbox), rejected, failed',
      labelNames: ['result'],
      registers,
    });
    this.attendanceWritten = new Counter({
      name: 'attendance_logs_written_total',
      help: 'Attendance logs committed by this instance (directly or drained from its outbox)',
      registers,
    });
    this.trainingDuration = new Histogram({
      name: 'training_duration_seconds',
      help: 'Classifier trainings by outcome (trained or skipped)',
      labelNames: ['outcome'],
      buckets: [0.1, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300],
      registers,
    });

    const watchers = (): MetricWatchers => this.#watchers;
    const engineGauge = (name: string, help: string, read: (s: EngineStats) => number): void => {
      new Gauge({
        name,
        help,
        registers,
        collect() {
          const stats = watchers().engine?.();
          this.reset();
          if (stats) {
            this.set(read(stats));
          }
        },
      });
    };
    engineGauge('face_engine_queue_depth', 'Face tasks waiting for a worker (local: this pool; queue: the shared queue)', (s) => s.queueDepth);
    engineGauge('face_engine_workers', 'Threads running the face pipeline (queue: of every live worker process)', (s) => s.workers);
    engineGauge('face_engine_busy_workers', 'Of those, busy now', (s) => s.busyWorkers);
    new Gauge({
      name: 'attendance_outbox_depth',
      help: 'Attendance events waiting in this instance outbox for the database',
      registers,
      collect() {
        this.reset();
        const depth = watchers().outboxDepth?.();
        if (depth !== undefined) {
          this.set(depth);
        }
      },
    });
    this.#cameraMetrics(registers, watchers);
  }

  /** Where the scrape reads states; set once the services exist. */
  watch(watchers: MetricWatchers): void {
    this.#watchers = { ...this.#watchers, ...watchers };
  }

  async text(): Promise<string> {
    return this.registry.metrics();
  }

  get contentType(): string {
    return this.registry.contentType;
  }

  #cameraMetrics(registers: Registry[], watchers: () => MetricWatchers): void {
    // One read of the cameras serves every camera series of a scrape.
    let snapshot: { at: number; cameras: Promise<CameraInfo[]> } | undefined;
    const cameras = (): Promise<CameraInfo[]> => {
      const now = Date.now();
      if (snapshot === undefined || now - snapshot.at > 500) {
        snapshot = { at: now, cameras: watchers().cameras?.().catch(() => []) ?? Promise.resolve([]) };
      }
      return snapshot.cameras;
    };
    const perCamera = (name: string, help: string, labelNames: string[], fill: (g: Gauge, c: CameraInfo) => void): void => {
      new Gauge({
        name,
        help,
        labelNames: ['camera_id', 'camera', ...labelNames],
        registers,
        async collect() {
          const running = await cameras();
          this.reset();
          for (const camera of running) {
            fill(this, camera);
          }
        },
      });
    };
    const labels = (c: CameraInfo) => ({ camera_id: String(c.cameraId), camera: c.name ?? '' });
    perCamera('camera_fps', 'Frames per second arriving from the capture (in) and processed by the engine', ['stage'], (g, c) => {
      g.set({ ...labels(c), stage: 'in' }, c.fpsIn);
      g.set({ ...labels(c), stage: 'processed' }, c.fpsProcessed);
    });
    perCamera('camera_frames_dropped_total', 'Frames lost to back-pressure since the camera started (drop-oldest)', [], (g, c) => g.set(labels(c), c.framesDropped));
    perCamera('camera_frames_failed_total', 'Frames the engine failed on (busy, timeout) since the camera started', [], (g, c) => g.set(labels(c), c.framesFailed));
    perCamera('camera_frames_processed_total', 'Frames analysed since the camera started', [], (g, c) => g.set(labels(c), c.framesProcessed));
    perCamera('camera_lag_seconds', 'Capture to result: p50 and p95 over the last frames', ['quantile'], (g, c) => {
      if (c.latencyMs.p50 !== null) {
        g.set({ ...labels(c), quantile: '0.5' }, c.latencyMs.p50 / 1000);
      }
      if (c.latencyMs.p95 !== null) {
        g.set({ ...labels(c), quantile: '0.95' }, c.latencyMs.p95 / 1000);
      }
    });
    perCamera('camera_connected', '1 while the camera delivers frames', [], (g, c) => g.set(labels(c), c.state === 'connected' ? 1 : 0));
  }
}
