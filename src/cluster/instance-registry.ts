// Who is alive: every server instance and every queue worker process writes a
// heartbeat (a sorted set per role, scored by when the entry lapses, plus a
// hash with what it says about itself). An entry not renewed within its TTL
// is gone: that is how a SIGKILLed instance is noticed. Times are Redis's
// own (TIME inside the scripts), so clocks of different machines never
// disagree about who is alive.
import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import type { InstanceId, InstanceRole } from './instance-id.js';
import type { RedisNamespace } from './redis-namespace.js';

export interface InstanceEntry {
  id: InstanceId;
  role: InstanceRole;
  host: string;
  pid: number;
  startedAt: string;
  /** Role-specific facts (a worker's threads and model pack). */
  details: Record<string, string | number | boolean | null>;
}

export interface InstanceRegistry {
  /** Writes the first heartbeat (awaited; a failure is logged, Redis may come later), then renews every third of the TTL. */
  start(): Promise<void>;
  /** Removes this entry at once (a graceful stop), and stops renewing. */
  stop(): Promise<void>;
  /** Live entries of a role (this one included), oldest first. */
  list(role: InstanceRole): Promise<InstanceEntry[]>;
  /** Whether an id is alive (any role). */
  isAlive(id: InstanceId, role: InstanceRole): Promise<boolean>;
}

const HEARTBEAT = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local dead = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', now)
for _, id in ipairs(dead) do redis.call('HDEL', KEYS[2], id) end
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now)
redis.call('ZADD', KEYS[1], now + tonumber(ARGV[2]), ARGV[1])
redis.call('HSET', KEYS[2], ARGV[1], ARGV[3])
return now`;

const LIST = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local ids = redis.call('ZRANGEBYSCORE', KEYS[1], '(' .. now, '+inf')
if #ids == 0 then return {} end
return redis.call('HMGET', KEYS[2], unpack(ids))`;

const registryKeys = (ns: RedisNamespace, role: InstanceRole): [string, string] => [ns.key('instances', role), ns.key('instances', role, 'info')];

/** Live entries of a role, oldest heartbeat first; readers need no registry of their own. */
export async function listInstances(redis: Redis, ns: RedisNamespace, role: InstanceRole): Promise<InstanceEntry[]> {
  const rows = (await redis.eval(LIST, 2, ...registryKeys(ns, role))) as (string | null)[];
  return rows.flatMap((row) => (row === null ? [] : [JSON.parse(row) as InstanceEntry]));
}

export function createInstanceRegistry(options: {
  redis: Redis;
  ns: RedisNamespace;
  self: Omit<InstanceEntry, 'startedAt'> & { startedAt?: string };
  ttlMs: number;
  log: Logger;
}): InstanceRegistry {
  const { redis, ns, ttlMs, log } = options;
  const self: InstanceEntry = { ...options.self, startedAt: options.self.startedAt ?? new Date().toISOString() };
  const keys = (role: InstanceRole): [string, string] => registryKeys(ns, role);
  let timer: NodeJS.Timeout | undefined;
  let failing = false;

  const beat = async (): Promise<void> => {
    await redis.eval(HEARTBEAT, 2, ...keys(self.role), self.id, ttlMs, JSON.stringify(self));
  };

  const list = (role: InstanceRole): Promise<InstanceEntry[]> => listInstances(redis, ns, role);

  return {
    async start() {
      await beat().catch((error: unknown) => {
        failing = true;
        log.warn({ err: error }, 'first instance heartbeat failed (Redis unreachable?): retried every tick');
      });
      timer = setInterval(() => {
        beat().then(
          () => {
            if (failing) {
              failing = false;
              log.info('instance heartbeat renewed again');
            }
          },
          (error: unknown) => {
            if (!failing) {
              failing = true;
              log.warn({ err: error }, 'instance heartbeat failed: others may soon take this instance for dead');
            }
          },
        );
      }, Math.max(200, Math.floor(ttlMs / 3)));
      timer.unref();
    },
    async stop() {
      clearInterval(timer);
      timer = undefined;
      const [set, info] = keys(self.role);
      await Promise.allSettled([redis.zrem(set, self.id), redis.hdel(info, self.id)]);
    },
    list,
    async isAlive(id, role) {
      return (await list(role)).some((e) => e.id === id);
    },
  };
}
