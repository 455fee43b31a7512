// The app's event bus, the one path of every topic (src/events/topics.ts):
// graphql-yoga's typed pub/sub over an in-memory event target, or over Redis
// when REDIS_URL is set so several instances share events. Services only see
// EventPublisher, so scaling out changes nothing else.
import { setMaxListeners } from 'node:events';
import { createPubSub } from 'graphql-yoga';
import type { PubSub } from 'graphql-yoga';
import { createRedisEventTarget } from '@graphql-yoga/redis-event-target';
import { createRedisClients } from './redis-clients.js';
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
  /** REDIS_PREFIX: every channel is `<prefix>:<topic>` (default `face-attendance`, as the setting's). */
  prefix?: string;
  log: Logger;
}

export function createEventBus(options: EventBusOptions): EventBus {
  if (options.redisUrl === undefined) {
    // Every open subscription is a listener: many subscribers are normal here, not a leak.
    const eventTarget = new EventTarget();
    setMaxListeners(0, eventTarget);
    return { kind: 'memory', pubsub: createPubSub<AppTopics>({ eventTarget }), close: () => Promise.resolve() };
  }
  // Subscribing puts a Redis connection in subscriber mode, hence two clients;
  // Redis going away loses events but never the process (redis-clients.ts).
  // Every channel is under REDIS_PREFIX.
  const clients = createRedisClients(options.redisUrl, options.log);
  const eventTarget = prefixedEventTarget(createRedisEventTarget<CustomEvent>(clients), options.prefix ?? 'face-attendance');
  return {
    kind: 'redis',
    pubsub: createPubSub<AppTopics>({ eventTarget }),
    close: () => clients.close(),
  };
}

