// A mutual exclusion across instances (one trainer at a time): the fenced
// lease of lease.ts on a named resource, renewed while the work runs, given
// back when it ends. A caller that finds it taken waits its turn, polling,
// so the work of an instance that died mid-way is not blocked for longer
// than the lease's TTL.
import type { Logger } from 'pino';
import { UnavailableError } from '../domain/errors.js';
import type { Cluster } from './cluster.js';
import { createLeases, isHeld, type HeldLease } from './lease.js';

export interface ClusterLock {
  exclusive<T>(fn: () => Promise<T>): Promise<T>;
}

export function createClusterLock(options: {
  cluster: Pick<Cluster, 'redis' | 'ns' | 'instanceId'>;
  resource: string;
  ttlMs?: number;
  /** Give up waiting after this long. */
  maxWaitMs?: number;
  log: Logger;
}): ClusterLock {
  const ttlMs = options.ttlMs ?? 30_000;
  const maxWaitMs = options.maxWaitMs ?? 15 * 60_000;
  const leases = createLeases({ redis: options.cluster.redis, ns: options.cluster.ns, owner: options.cluster.instanceId, ttlMs });
  return {
    async exclusive(fn) {
      const giveUp = Date.now() + maxWaitMs;
      let lease: HeldLease | undefined;
      let announced = false;
      while (lease === undefined) {
        const got = await leases.acquire(options.resource);
        if (isHeld(got)) {
          lease = got;
          break;
        }
        if (!announced && got !== null) {
          announced = true;
          options.log.info({ resource: options.resource, holder: got.owner }, 'waiting for another instance to finish');
        }
        if (Date.now() > giveUp) {
          throw new UnavailableError(`${options.resource}: another instance holds it for too long`);
        }
        await new Promise((resolve) => setTimeout(resolve, 500));
      }
      const held = lease;
      const renew = setInterval(() => {
        leases.renew(held).catch((error: unknown) => options.log.warn({ err: error, resource: options.resource }, 'lock not renewed'));
      }, Math.floor(ttlMs / 3));
      renew.unref();
      try {
        return await fn();
      } finally {
        clearInterval(renew);
        await leases.release(held).catch(() => undefined);
      }
    },
  };
}
