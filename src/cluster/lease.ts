// A lease in Redis with a fencing token: at most one holder of a resource at
// a time, for a TTL the holder renews. Each acquisition takes the next number
// of the resource's token counter, and every renewal or write check compares
// the stored `<holder>|<token>` with the caller's, so a holder that was paused
// (GC, SIGSTOP, a VM freeze) past its TTL cannot renew or write once someone
// else holds the resource, even though it still believes it does.
//
// The holder also fences itself without asking Redis: `validUntil` is when the
// lease may have lapsed, measured from *before* the command that set it was
// sent, on the monotonic clock; past it the holder must stop writing.
import type { Redis } from 'ioredis';
import type { InstanceId } from './instance-id.js';
import type { RedisNamespace } from './redis-namespace.js';

export interface LeaseHolder {
  owner: InstanceId;
  token: number;
}

export interface HeldLease extends LeaseHolder {
  readonly resource: string;
  /** performance.now() after which the lease may have lapsed: stop writing then. */
  validUntil: number;
}

/** Sets the lease when free; returns the new token, or the current holder's value. */
const ACQUIRE = `
local current = redis.call('GET', KEYS[1])
if current then return {0, current} end
local token = redis.call('INCR', KEYS[2])
redis.call('SET', KEYS[1], ARGV[1] .. '|' .. token, 'PX', ARGV[2])
return {1, tostring(token)}`;

/** Extends the lease only while it still holds exactly this holder and token. */
const RENEW = `
if redis.call('GET', KEYS[1]) == ARGV[1] then
  redis.call('PEXPIRE', KEYS[1], ARGV[2])
  return 1
end
return 0`;

const RELEASE = `
if redis.call('GET', KEYS[1]) == ARGV[1] then
  return redis.call('DEL', KEYS[1])
end
return 0`;

export interface Leases {
  acquire(resource: string): Promise<HeldLease | LeaseHolder | null>;
  /** True while still held (the TTL is extended); false once lost. Throws when Redis cannot say. */
  renew(lease: HeldLease): Promise<boolean>;
  release(lease: HeldLease): Promise<void>;
  /** The holder of each resource (null when free), in one round trip. */
  holders(resources: readonly string[]): Promise<(LeaseHolder | null)[]>;
  /** The write check: true only while Redis still stores this holder and token. */
  stillHeld(lease: LeaseHolder & { resource: string }): Promise<boolean>;
  /** Local check, no round trip: the lease cannot have lapsed yet. */
  isValid(lease: HeldLease): boolean;
}

export function isHeld(value: HeldLease | LeaseHolder | null): value is HeldLease {
  return value !== null && 'validUntil' in value;
}

function parse(value: string | null): LeaseHolder | null {
  if (value === null) {
    return null;
  }
  const at = value.lastIndexOf('|');
  return { owner: value.slice(0, at) as InstanceId, token: Number(value.slice(at + 1)) };
}

export function createLeases(options: { redis: Redis; ns: RedisNamespace; owner: InstanceId; ttlMs: number; safetyMs?: number }): Leases {
  const { redis, ns, owner, ttlMs } = options;
  // Clock drift and the time a command takes on the way back.
  const safety = options.safetyMs ?? Math.min(500, Math.floor(ttlMs / 10));
  const key = (resource: string): string => ns.key('lease', resource);
  const fence = (resource: string): string => ns.key('fence', resource);
  const value = (lease: LeaseHolder): string => `${lease.owner}|${lease.token}`;

  return {
    async acquire(resource) {
      const sent = performance.now();
      const [won, text] = (await redis.eval(ACQUIRE, 2, key(resource), fence(resource), owner, ttlMs)) as [number, string];
      if (won === 1) {
        return { resource, owner, token: Number(text), validUntil: sent + ttlMs - safety };
      }
      return parse(text);
    },
    async renew(lease) {
      const sent = performance.now();
      const ok = (await redis.eval(RENEW, 1, key(lease.resource), value(lease), ttlMs)) === 1;
      if (ok) {
        lease.validUntil = sent + ttlMs - safety;
      }
      return ok;
    },
    async release(lease) {
      lease.validUntil = 0;
      await redis.eval(RELEASE, 1, key(lease.resource), value(lease));
    },
    async holders(resources) {
      if (resources.length === 0) {
        return [];
      }
      return (await redis.mget(...resources.map(key))).map(parse);
    },
    async stillHeld(lease) {
      return (await redis.get(key(lease.resource))) === value(lease);
    },
    isValid: (lease) => performance.now() < lease.validUntil,
  };
}
