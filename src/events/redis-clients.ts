// The two ioredis connections of the Redis event bus, made safe for Redis
// going away: it must cost events, never the process.
// - Every client has an 'error' listener (ioredis re-emits every failed
//   reconnect; without a listener that is an uncaught exception). The first
//   error of an outage is logged at warn, the rest at debug, the recovery at info.
// - @graphql-yoga/redis-event-target fires publish/subscribe/unsubscribe and
//   drops their promises: a rejection would be unhandled and end the process.
//   The clients it gets are proxies whose commands never reject (failures logged).
// - The publisher gives up on a command after one failed reconnect
//   (maxRetriesPerRequest: 1): events published during an outage are lost after
//   a second or two instead of piling up in memory (the short wait also covers
//   events published before the first connection is up), and waits at most
//   PUBLISH_TIMEOUT_MS for an answer on a connection that went silent.
// - The subscriber keeps commands until it is back (maxRetriesPerRequest: null)
//   and ioredis re-subscribes its channels on reconnect, so subscriptions
//   resume by themselves.
import { Redis } from 'ioredis';
import type { Logger } from 'pino';

export interface RedisClients {
  publishClient: Redis;
  subscribeClient: Redis;
  /** Events dropped because Redis did not take them. */
  readonly lostEvents: number;
  close(): Promise<void>;
}

const SAFE_COMMANDS = new Set(['publish', 'subscribe', 'unsubscribe']);
/** A connection that stays open but never answers (a partition) must not collect publishes for ever. */
const PUBLISH_TIMEOUT_MS = 2_000;

export function createRedisClients(redisUrl: string, log: Logger): RedisClients {
  let lostEvents = 0;
  let lastLostLog = 0;

  const watch = (client: Redis, role: string): void => {
    let down = false;
    client.on('error', (error: unknown) => {
      if (!down) {
        down = true;
        log.warn({ err: error, role }, 'redis unreachable: events between instances are lost until it is back');
      } else {
        log.debug({ err: error, role }, 'redis still unreachable');
      }
    });
    client.on('ready', () => {
      if (down) {
        down = false;
        log.info({ role }, 'redis is back');
      }
    });
  };

  /** The same client, with publish/subscribe/unsubscribe that log instead of rejecting. */
  const neverRejecting = (client: Redis, role: string): Redis =>
    new Proxy(client, {
      get(target, prop, receiver) {
        const value: unknown = Reflect.get(target, prop, receiver);
        if (typeof prop !== 'string' || !SAFE_COMMANDS.has(prop) || typeof value !== 'function') {
          return value;
        }
        return (...args: unknown[]) =>
          (value as (...a: unknown[]) => Promise<unknown>).apply(target, args).catch((error: unknown) => {
            if (prop === 'publish') {
              lostEvents += 1;
              const now = Date.now();
              // One line per second at most: a busy camera publishes many events a second.
              if (now - lastLostLog >= 1000) {
                lastLostLog = now;
                log.warn({ err: error, role, lostEvents }, 'redis publish failed: event lost');
              }
            } else {
              log.warn({ err: error, role, command: prop }, 'redis command failed');
            }
            return undefined;
          });
      },
    });

  const publishClient = new Redis(redisUrl, { maxRetriesPerRequest: 1, commandTimeout: PUBLISH_TIMEOUT_MS });
  const subscribeClient = new Redis(redisUrl, { maxRetriesPerRequest: null });
  watch(publishClient, 'publish');
  watch(subscribeClient, 'subscribe');

  return {
    publishClient: neverRejecting(publishClient, 'publish'),
    subscribeClient: neverRejecting(subscribeClient, 'subscribe'),
    get lostEvents() {
      return lostEvents;
    },
    async close() {
      // quit() waits for Redis; disconnect() does not (Redis may be the thing that is down).
      await Promise.allSettled(
        [publishClient, subscribeClient].map((c) =>
          c.status === 'ready' ? c.quit() : Promise.resolve(c.disconnect()),
        ),
      );
    },
  };
}
