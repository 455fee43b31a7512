// The Redis side of running several instances, built once by buildApp when
// REDIS_URL is set (beside the event bus): this instance's id, the key
// namespace, one connection for commands (leases, locks, shared state) and
// one subscribed to the cluster channels. Services built from it live in the
// composition root (src/services/create-services.ts).
//
// Redis going away must not end the process: every client has an error
// listener, and commands give up after one reconnect attempt (callers treat a
// failed command as "not sure", e.g. a lease not renewed).
import { Redis } from 'ioredis';
import type { Logger } from 'pino';
import { createClusterBus, type ClusterBus } from './cluster-bus.js';
import type { InstanceId } from './instance-id.js';
import { redisNamespace, type RedisNamespace } from './redis-namespace.js';

export interface Cluster {
  readonly instanceId: InstanceId;
  readonly ns: RedisNamespace;
  /** Commands (never put in subscriber mode). */
  readonly redis: Redis;
  readonly bus: ClusterBus;
  readonly redisUrl: string;
  close(): Promise<void>;
}

/** A command that gets no answer this long fails (Redis partitioned away). */
const COMMAND_TIMEOUT_MS = 2_000;

export function redisClient(url: string, log: Logger, role: string, options: { subscriber?: boolean } = {}): Redis {
  const client = new Redis(url, {
    maxRetriesPerRequest: options.subscriber ? null : 1,
    ...(options.subscriber ? {} : { commandTimeout: COMMAND_TIMEOUT_MS }),
  });
  let down = false;
  client.on('error', (error: unknown) => {
    if (!down) {
      down = true;
      log.warn({ err: error, role }, 'redis unreachable');
    }
  });
  client.on('ready', () => {
    if (down) {
      down = false;
      log.info({ role }, 'redis is back');
    }
  });
  return client;
}

/** Closes a client without waiting for a Redis that may be the thing that is down. */
export async function closeRedis(client: Redis): Promise<void> {
  if (client.status === 'ready') {
    await client.quit().catch(() => client.disconnect());
  } else {
    client.disconnect();
  }
}

export function createCluster(options: { redisUrl: string; prefix: string; instanceId: InstanceId; log: Logger }): Cluster {
  const { redisUrl, instanceId, log } = options;
  const ns = redisNamespace(options.prefix);
  const redis = redisClient(redisUrl, log, 'commands');
  const subscriber = redisClient(redisUrl, log, 'cluster-subscriber', { subscriber: true });
  const bus = createClusterBus({ publisher: redis, subscriber, ns, instanceId, log });
  return {
    instanceId,
    ns,
    redis,
    bus,
    redisUrl,
    async close() {
      bus.close();
      await Promise.allSettled([closeRedis(redis), closeRedis(subscriber)]);
    },
  };
}
