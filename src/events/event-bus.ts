// The app's event bus: graphql-yoga's typed pub/sub over an in-memory event
// target, or over Redis when REDIS_URL is set so several instances share
// events. Services only see EventPublisher, so scaling out changes nothing else.
import { createPubSub } from 'graphql-yoga';
import type { PubSub } from 'graphql-yoga';
import { createRedisEventTarget } from '@graphql-yoga/redis-event-target';
import { Redis } from 'ioredis';
import type { Logger } from 'pino';
import type { AppTopics } from './topics.js';

export type AppPubSub = PubSub<AppTopics>;
export type EventPublisher = Pick<AppPubSub, 'publish'>;

export interface EventBus {
  readonly kind: 'memory' | 'redis';
  readonly pubsub: AppPubSub;
  close(): Promise<void>;
}

export function createEventBus(options: { redisUrl?: string | undefined; log: Logger }): EventBus {
  if (options.redisUrl === undefined) {
    return { kind: 'memory', pubsub: createPubSub<AppTopics>(), close: () => Promise.resolve() };
  }
  // Subscribing puts a Redis connection in subscriber mode, hence two clients.
  const publishClient = new Redis(options.redisUrl, { lazyConnect: false, maxRetriesPerRequest: 3 });
  const subscribeClient = new Redis(options.redisUrl, { lazyConnect: false, maxRetriesPerRequest: 3 });
  for (const client of [publishClient, subscribeClient]) {
    client.on('error', (error: unknown) => options.log.error({ err: error }, 'redis event bus error'));
  }
  const eventTarget = createRedisEventTarget<CustomEvent>({ publishClient, subscribeClient });
  return {
    kind: 'redis',
    pubsub: createPubSub<AppTopics>({ eventTarget }),
    async close() {
      await Promise.allSettled([publishClient.quit(), subscribeClient.quit()]);
    },
  };
}
