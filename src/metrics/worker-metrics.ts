// The Prometheus metrics of one queue worker process (`npm run worker`), in a
// registry of its own with the worker's `instance_id` on every series: the
// jobs it took (by task and outcome) and how long they ran, its worker
// threads and their local queue, and Node's default metrics (event-loop lag,
// heap, CPU). Served by its own listener (metrics-server.ts, METRICS_PORT).
// The names start with `face_worker_`, so summing the servers' `face_engine_`
// series never counts a worker twice.
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { EngineStats } from '../engine/face-engine.js';

/** What became of a job this worker took: answered, answered with a failure, dropped past its deadline, or thrown back for another try. */
export type WorkerJobOutcome = 'done' | 'failed' | 'expired' | 'retried';

const JOB_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

export class WorkerMetrics {
  readonly registry = new Registry();
  readonly jobs: Counter<'task' | 'outcome'>;
  readonly jobDuration: Histogram<'task'>;
  readonly jobsActive: Gauge;
  #engine: () => EngineStats | null = () => null;

  constructor(instanceId: string) {
    const registers = [this.registry];
    this.registry.setDefaultLabels({ instance_id: instanceId });
    collectDefaultMetrics({ register: this.registry });
    this.jobs = new Counter({
      name: 'face_worker_jobs_total',
      help: 'Face jobs this worker took, by task and outcome (done, failed, expired: dropped past its deadline, retried: thrown back to the queue)',
      labelNames: ['task', 'outcome'],
      registers,
    });
    this.jobDuration = new Histogram({
      name: 'face_worker_job_duration_seconds',
      help: 'From taking a job to publishing its answer (input read, face pipeline, answer)',
      labelNames: ['task'],
      buckets: JOB_BUCKETS,
      registers,
    });
    this.jobsActive = new Gauge({ name: 'face_worker_jobs_active', help: 'Jobs this worker holds now', registers });
    const engine = (): EngineStats | null => this.#engine();
    const engineGauge = (name: string, help: string, read: (s: EngineStats) => number): void => {
      new Gauge({
        name,
        help,
        registers,
        collect() {
          const stats = engine();
          this.reset();
          if (stats) {
            this.set(read(stats));
          }
        },
      });
    };
    engineGauge('face_worker_threads', 'Threads running the face pipeline in this worker', (s) => s.workers);
    engineGauge('face_worker_busy_threads', 'Of those, busy now', (s) => s.busyWorkers);
    engineGauge('face_worker_thread_queue_depth', 'Tasks waiting for a thread inside this worker', (s) => s.queueDepth);
    engineGauge('face_worker_thread_restarts', 'Threads restarted after a crash since the worker started', (s) => s.workerRestarts);
  }

  /** Where the scrape reads the thread pool's state. */
  watchEngine(stats: () => EngineStats | null): void {
    this.#engine = stats;
  }

  /** One job finished (any outcome) after `seconds`. */
  observeJob(task: string, outcome: WorkerJobOutcome, seconds: number): void {
    this.jobs.inc({ task, outcome });
    if (outcome !== 'expired') {
      this.jobDuration.observe({ task }, seconds);
    }
  }

  async text(): Promise<string> {
    return this.registry.metrics();
  }

  get contentType(): string {
    return this.registry.contentType;
  }
}
