// The fenced lease on the real Redis: one holder at a time, tokens that only
// grow, a holder that lost its lease can neither renew nor pass the write
// check, and the local validity ends with the TTL without asking Redis.
import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import { instanceId } from '../../src/cluster/instance-id.js';
import { createLeases, isHeld, type HeldLease } from '../../src/cluster/lease.js';
import { createClusterLock } from '../../src/cluster/cluster-lock.js';
import pino from 'pino';
import { redisNamespace } from '../../src/cluster/redis-namespace.js';
import { preferredOwner } from '../../src/cluster/rendezvous.js';
import { REDIS_URL } from './harness/cluster-env.js';

const redis = new Redis(REDIS_URL);
const ns = redisNamespace(`fa-test-lease-${randomBytes(4).toString('hex')}`);
afterAll(async () => {
  const keys = await redis.keys(`${ns.prefix}:*`);
  if (keys.length > 0) {
    await redis.del(...keys);
  }
  redis.disconnect();
});

describe('fenced lease', () => {
  it('one holder at a time; a lost lease is neither renewed nor confirmed; tokens grow', async () => {
    const a = createLeases({ redis, ns, owner: instanceId('a'), ttlMs: 300, safetyMs: 50 });
    const b = createLeases({ redis, ns, owner: instanceId('b'), ttlMs: 5_000 });
    const first = await a.acquire('camera:1');
    expect(isHeld(first)).toBe(true);
    const held = first as HeldLease;
    expect(a.isValid(held)).toBe(true);
    expect(await b.acquire('camera:1')).toEqual({ owner: 'a', token: held.token });
    expect(await a.renew(held)).toBe(true);
    expect(await a.stillHeld(held)).toBe(true);

    // a pauses past its TTL: b takes the camera with a higher token.
    await new Promise((r) => setTimeout(r, 400));
    expect(a.isValid(held)).toBe(false);
    const second = await b.acquire('camera:1');
    expect(isHeld(second)).toBe(true);
    expect((second as HeldLease).token).toBeGreaterThan(held.token);
    expect(await a.renew(held)).toBe(false);
    expect(await a.stillHeld(held)).toBe(false);
    await a.release(held);
    expect(await b.stillHeld(second as HeldLease)).toBe(true);
    expect(await a.holders(['camera:1', 'camera:2'])).toEqual([{ owner: 'b', token: (second as HeldLease).token }, null]);

    await b.release(second as HeldLease);
    expect(await b.holders(['camera:1'])).toEqual([null]);
  });
});

describe('cluster lock', () => {
  it('runs the work of two instances one after the other, and frees the lock when the work fails', async () => {
    const log = pino({ level: 'silent' });
    const lockOf = (owner: string) => createClusterLock({ cluster: { redis, ns, instanceId: instanceId(owner) }, resource: 'training', ttlMs: 3_000, log });
    const spans: { who: string; start: number; end: number }[] = [];
    const work = (who: string) => async () => {
      const start = performance.now();
      await new Promise((r) => setTimeout(r, 300));
      spans.push({ who, start, end: performance.now() });
      return who;
    };
    const results = await Promise.all([lockOf('a').exclusive(work('a')), lockOf('b').exclusive(work('b'))]);
    expect(results).toEqual(['a', 'b']);
    const [first, second] = spans.sort((x, y) => x.start - y.start);
    expect(second!.start).toBeGreaterThanOrEqual(first!.end);
    await expect(lockOf('a').exclusive(async () => Promise.reject(new Error('training failed')))).rejects.toThrow('training failed');
    expect(await lockOf('b').exclusive(async () => 'free again')).toBe('free again');
  });
});

describe('rendezvous owner', () => {
  it('is the same for everyone, moves only the cameras of an instance that leaves, and spreads them', () => {
    const three = ['i-1', 'i-2', 'i-3'];
    const cameras = Array.from({ length: 300 }, (_, i) => `camera:${i}`);
    const before = cameras.map((c) => preferredOwner(c, three));
    expect(cameras.map((c) => preferredOwner(c, [...three].reverse()))).toEqual(before);
    const after = cameras.map((c) => preferredOwner(c, ['i-1', 'i-3']));
    for (const [i, owner] of before.entries()) {
      if (owner !== 'i-2') {
        expect(after[i]).toBe(owner);
      }
    }
    const share = three.map((id) => before.filter((o) => o === id).length);
    expect(Math.min(...share)).toBeGreaterThan(70);
  });
});
