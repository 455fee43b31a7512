// The services of one instance among several, built for the composition root
// from the app's Cluster: its entry in the instance registry, the camera
// ownership (leases) and the fence around what its cameras write.
import { hostname } from 'node:os';
import type { Logger } from 'pino';
import type { RecognitionEvent, RecordResult } from '../attendance/types.js';
import type { Config } from '../config.js';
import type { EventPublisher } from '../events/event-bus.js';
import { createCameraOwnership, type CameraOwnership } from './camera-ownership.js';
import type { Cluster } from './cluster.js';
import { fencedAttendance, fencedPublisher } from './fenced-camera-writes.js';
import { createInstanceRegistry, type InstanceRegistry } from './instance-registry.js';

export interface ClusterParts {
  readonly registry: InstanceRegistry;
  readonly ownership: CameraOwnership;
  fencedEvents(events: EventPublisher): EventPublisher;
  fencedAttendance(record: (event: RecognitionEvent) => Promise<RecordResult>): (event: RecognitionEvent) => Promise<RecordResult>;
}

export function createClusterParts(cluster: Cluster, config: Pick<Config, 'CAMERA_LEASE_TTL_MS' | 'PORT'>, log: Logger): ClusterParts {
  // A server that stops heartbeating is taken for dead as soon as its camera leases can lapse.
  const registry = createInstanceRegistry({
    redis: cluster.redis,
    ns: cluster.ns,
    self: { id: cluster.instanceId, role: 'server', host: hostname(), pid: process.pid, details: {} },
    ttlMs: config.CAMERA_LEASE_TTL_MS,
    log,
  });
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
