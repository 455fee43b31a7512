// The app's event bus, the one path of every topic (src/events/topics.ts):
// graphql-yoga's typed pub/sub over an in-memory event target, or over Redis
// when REDIS_URL is set so several instances share events. Services only see
// EventPublisher, so scaling out changes nothing else.
import { setMaxListeners } from 'node:events';
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
    // Every open subscription is a listener: many subscribers are normal here, not a leak.
    const eventTarget = new EventTarget();
    setMaxListeners(0, eventTarget);
    return { kind: 'memory', pubsub: createPubSub<AppTopics>({ eventTarget }), close: () => Promise.resolve() };
  }
  // Subscribing puts a Redis connection in subscriber mode, hence two clients.
  const publishClient = new Redis(options.redisUrl, { lazyConnect: false, maxRetriesPerRequest: 3 });
  const subscribeClient = new Redis(options.redisUrl, { lazyConnect: false, maxRetriesPerRequest: 3 });
  for (const client of [publishClient, subscribeClient]) {
    client.on('error', (error: unknown) => options.log.error({ err: error }, 'redis event bus error'));
  }
  const eventTarget = createRedisEventTarget<CustomEvent>({
    publishClient: loggingFailures(publishClient, ['publish'], options.log),
    subscribeClient: loggingFailures(subscribeClient, ['subscribe', 'unsubscribe'], options.log),
  });
  return {
    kind: 'redis',
    pubsub: createPubSub<AppTopics>({ eventTarget }),
    async close() {
      await Promise.allSettled([publishClient.quit(), subscribeClient.quit()]);
    },
  };
}

/**
 * The Redis event target fires these commands without handling their promise:
 * with Redis away (or the client closing), each would be an unhandled
 * rejection, which ends the process. They are logged instead; the event is lost.
 */
function loggingFailures(client: Redis, commands: readonly string[], log: Logger): Redis {
  return new Proxy(client, {
    get(target, property, receiver) {
      const value: unknown = Reflect.get(target, property, receiver);
      if (typeof property === 'string' && commands.includes(property) && typeof value === 'function') {
        return (...args: unknown[]) =>
          (Reflect.apply(value, target, args) as Promise<unknown>).catch((error: unknown) => {
            log.warn({ err: error, command: property }, 'redis event bus command failed');
          });
      }
      return value;
    },
  });
}
