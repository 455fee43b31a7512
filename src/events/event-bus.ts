// The app's event bus: graphql-yoga's typed pub/sub over an in-memory event
// target, or over Redis when REDIS_URL is set so several instances share
// events. Services only see EventPublisher, so scaling out changes nothing else.
import { createPubSub } from 'graphql-yoga';
import type { PubSub } from 'graphql-yoga';
import { createRedisEventTarget } from '@graphql-yoga/redis-event-target';
import { Redis } from 'ioredis';
import type { Logger } from 'pino';
import { prefixedEventTarget } from './prefixed-event-target.js';
import type { AppTopics } from './topics.js';

export type AppPubSub = PubSub<AppTopics>;
export type EventPublisher = Pick<AppPubSub, 'publish'>;

export interface EventBus {
  readonly kind: 'memory' | 'redis';
  readonly pubsub: AppPubSub;
  close(): Promise<void>;
}

export interface EventBusOptions {
  redisUrl?: string | undefined;
  /** REDIS_PREFIX: every channel is `<prefix>:<topic>`. */
  prefix: string;
  log: Logger;
}

export function createEventBus(options: EventBusOptions): EventBus {
  if (options.redisUrl === undefined) {
    return { kind: 'memory', pubsub: createPubSub<AppTopics>(), close: () => Promise.resolve() };
  }
  // Subscribing puts a Redis connection in subscriber mode, hence two clients.
  const publishClient = new Redis(options.redisUrl, { lazyConnect: false, maxRetriesPerRequest: 3 });
  const subscribeClient = new Redis(options.redisUrl, { lazyConnect: false, maxRetriesPerRequest: 3 });
  for (const client of [publishClient, subscribeClient]) {
    client.on('error', (error: unknown) => options.log.error({ err: error }, 'redis event bus error'));
  }
  const eventTarget = prefixedEventTarget(createRedisEventTarget<CustomEvent>({ publishClient, subscribeClient }), options.prefix);
  return {
    kind: 'redis',
    pubsub: createPubSub<AppTopics>({ eventTarget }),
    async close() {
      await Promise.allSettled([publishClient.quit(), subscribeClient.quit()]);
    },
  };
}
