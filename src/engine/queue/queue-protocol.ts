// What the queue engine's two sides agree on: the BullMQ queue (under
// REDIS_PREFIX), the job data, where a job's input waits, where its outcome
// goes, and the timings of job locks. The face tasks themselves are those of
// the worker pool (../tasks/face-tasks.ts), so a worker process runs exactly
// what the local engine runs.
//
//   server                                   Redis                                  worker process
//   SET <p>:engine:in:<job> <task bytes> ──▶ key (expires after the deadline)
//   queue.add(kind, {from, deadline, ...}) ─▶ BullMQ queue <p>:face-engine ──────▶ Worker takes the job
//                                                                                  GET input, run it in its worker threads
//   resolves the waiting call  ◀──────────── PUBLISH <p>:engine:out:<server> ◀──── outcome bytes
import type { ModelPackId } from '../../domain/ids.js';
import type { InstanceId } from '../../cluster/instance-id.js';
import type { RedisNamespace } from '../../cluster/redis-namespace.js';
import type { FaceTaskKind, FaceTaskResult } from '../tasks/face-tasks.js';

export const FACE_QUEUE = 'face-engine';

export interface FaceJobData {
  /** The server instance waiting for the outcome. */
  from: InstanceId;
  /** Epoch ms after which nobody waits: a worker drops the job unrun. */
  deadline: number;
  modelId: ModelPackId;
  kind: FaceTaskKind;
}

/** A failure as it crosses back: enough to rebuild the domain error (queue-errors.ts). */
export interface QueueFailure {
  name: string;
  code: string;
  message: string;
  /** For ENGINE_BUSY: the worker's own reason (queue_full, timeout, ...). */
  reason?: string;
}

export type FaceJobOutcome = { jobId: string; worker: InstanceId } & ({ ok: true; result: FaceTaskResult } | { ok: false; error: QueueFailure });

export const inputKey = (ns: RedisNamespace, jobId: string): string => ns.key('engine', 'in', jobId);
export const outcomeChannel = (ns: RedisNamespace, server: InstanceId): string => ns.key('engine', 'out', server);

/**
 * A worker holds a job's lock this long and renews it every half; a killed
 * worker's jobs are found by another worker's stalled check (every
 * STALLED_CHECK_MS) once the lock lapsed, and go back to the queue. So a job
 * of a dead worker runs again within about LOCK + CHECK = 6 s.
 */
export const JOB_LOCK_MS = 4_000;
export const STALLED_CHECK_MS = 2_000;
/** A job may be found stalled this often (a worker killed under it) before it fails for good. */
export const MAX_STALLED = 2;
/** A camera frame older than this is worth nothing: its job is dropped instead of run late. */
export const FRAME_DEADLINE_MS = 2_000;
/** Worker heartbeats lapse after this (a SIGKILLed worker leaves the count within it). */
export const WORKER_HEARTBEAT_TTL_MS = 5_000;
