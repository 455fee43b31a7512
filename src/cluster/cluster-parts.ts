// The services of one instance among several, built for the composition root
// from the app's Cluster: its entry in the instance registry, the camera
// ownership (leases), the fence around what its cameras write, the shared
// enrollment sessions and liveness challenges, the shared recent recognitions
// and the training lock.
import { mkdir } from 'node:fs/promises';
import { hostname } from 'node:os';
import { join } from 'node:path';
import type { Logger } from 'pino';
import type { RecognitionEvent, RecordResult } from '../attendance/types.js';
import type { Config } from '../config.js';
import type { EventPublisher } from '../events/event-bus.js';
import { createCameraOwnership, type CameraOwnership } from './camera-ownership.js';
import type { Cluster } from './cluster.js';
import { fencedAttendance, fencedPublisher } from './fenced-camera-writes.js';
import { createInstanceRegistry, type InstanceRegistry } from './instance-registry.js';
import { createClusterLock, type ClusterLock } from './cluster-lock.js';
import { createRedisSessionStore } from './redis-session-store.js';
import { createRedisChallengeStore } from './redis-challenge-store.js';
import { createOutboxAdoption, type OutboxAdoption } from './outbox-adoption.js';
import type { LiveSessionStore } from '../enrollment/session-store.js';
import type { ChallengeStore } from '../liveness/challenge-store.js';
import type { EmployeeDirectory } from '../live/employee-directory.js';
import type { RecentRecognitionLog } from '../live/recent-recognitions.js';
import { createRedisRecentRecognitions } from './redis-recent-recognitions.js';
import { createDataDirCheck, type DataDirCheck } from './data-dir-sharing.js';

export interface ClusterParts {
  readonly registry: InstanceRegistry;
  readonly ownership: CameraOwnership;
  /** Live enrollment sessions any instance can take frames for. */
  readonly liveSessions: LiveSessionStore;
  /** Kiosk liveness challenges any instance can take frames and give results for. */
  readonly challenges: ChallengeStore;
  /** The decisions of every instance's cameras, for GET /recognition/recognized anywhere (names read through `directory`). */
  recentRecognitions(directory: EmployeeDirectory): RecentRecognitionLog;
  /** One trainer at a time across the instances. */
  readonly trainingLock: ClusterLock;
  /** This instance's own outbox folder: DATA_DIR/outbox/<instance id>. */
  readonly outboxDir: string;
  /** Whether the other live instances write to this same DATA_DIR. */
  readonly dataDir: DataDirCheck;
  /** Adopts the outbox folders of dead instances, writing their events through `drain`. */
  outboxAdoption(drain: (dir: string, timeoutMs: number) => Promise<number>): OutboxAdoption;
  fencedEvents(events: EventPublisher): EventPublisher;
  fencedAttendance(record: (event: RecognitionEvent) => Promise<RecordResult>): (event: RecognitionEvent) => Promise<RecordResult>;
}

export function createClusterParts(cluster: Cluster, config: Pick<Config, 'CAMERA_LEASE_TTL_MS' | 'DATA_DIR'>, log: Logger): ClusterParts {
  const outboxRoot = join(config.DATA_DIR, 'outbox');
  // A server that stops heartbeating is taken for dead as soon as its camera leases can lapse.
  const outboxDir = join(outboxRoot, cluster.instanceId);
  const heartbeat = createInstanceRegistry({
    redis: cluster.redis,
    ns: cluster.ns,
    self: { id: cluster.instanceId, role: 'server', host: hostname(), pid: process.pid, details: {} },
    ttlMs: config.CAMERA_LEASE_TTL_MS,
    log,
  });
  // Its outbox folder exists before the instance is seen alive: the sign that another one shares DATA_DIR (data-dir-sharing.ts).
  const registry: InstanceRegistry = {
    ...heartbeat,
    async start() {
      await mkdir(outboxDir, { recursive: true, mode: 0o700 });
      await heartbeat.start();
    },
  };
  const ownership = createCameraOwnership({
    cluster,
    servers: () => registry.list('server'),
    ttlMs: config.CAMERA_LEASE_TTL_MS,
    log: log.child({ component: 'camera-ownership' }),
  });
  let lastDropLog = 0;
  return {
    registry,
    ownership,
    liveSessions: createRedisSessionStore({ redis: cluster.redis, ns: cluster.ns }),
    challenges: createRedisChallengeStore({ redis: cluster.redis, ns: cluster.ns }),
    recentRecognitions: (directory) =>
      createRedisRecentRecognitions({ redis: cluster.redis, ns: cluster.ns, directory, log: log.child({ component: 'recent-recognitions' }) }),
    trainingLock: createClusterLock({ cluster, resource: 'training', log: log.child({ component: 'training-lock' }) }),
    outboxDir,
    dataDir: createDataDirCheck({
      outboxRoot,
      self: cluster.instanceId,
      alive: async () => (await registry.list('server')).map((s) => s.id),
      log: log.child({ component: 'data-dir' }),
    }),
    outboxAdoption: (drain) =>
      createOutboxAdoption({
        cluster,
        root: outboxRoot,
        alive: async () => (await registry.list('server')).map((s) => s.id),
        drain,
        log: log.child({ component: 'outbox-adoption' }),
      }),
    fencedEvents: (events) =>
      fencedPublisher(events, ownership.fence, (topic, cameraId) => {
        const now = Date.now();
        if (now - lastDropLog > 5_000) {
          lastDropLog = now;
          log.warn({ topic, cameraId }, 'camera event dropped: this instance no longer holds the camera');
        }
      }),
    fencedAttendance: (record) => fencedAttendance(record, ownership.fence),
  };
}
