// Outboxes left behind. With several instances each one journals the
// attendance events it could not write under DATA_DIR/outbox/<instance id>
// (instance ids are per process: a restarted server starts a new folder).
// Every instance looks at the other folders from time to time; one whose
// instance is no longer alive is adopted: under a lease (one adopter at a
// time), its events are written in their order through this instance's
// attendance service, and the folder goes once it is empty. A journal in
// DATA_DIR/outbox itself (a single-instance deployment grown into several) is
// adopted the same way.
import { readdir, rm, rmdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { Logger } from 'pino';
import { JOURNAL_FILE } from '../attendance/outbox.js';
import type { Cluster } from './cluster.js';
import type { InstanceId } from './instance-id.js';
import { createLeases, isHeld } from './lease.js';

export interface OutboxAdoption {
  /** One look at the folders: adopts those of dead instances; returns how many folders were emptied. */
  sweep(): Promise<number>;
}

/** An adoption drains for at most this long, then gives the folder back for a later sweep. */
const DRAIN_MS = 60_000;

export function createOutboxAdoption(options: {
  cluster: Pick<Cluster, 'redis' | 'ns' | 'instanceId'>;
  /** DATA_DIR/outbox */
  root: string;
  /** Live server instances. */
  alive(): Promise<InstanceId[]>;
  /** Writes a folder's events; resolves with how many are left there. */
  drain(dir: string, timeoutMs: number): Promise<number>;
  log: Logger;
}): OutboxAdoption {
  const { root, log } = options;
  const self = options.cluster.instanceId;
  const leases = createLeases({ redis: options.cluster.redis, ns: options.cluster.ns, owner: self, ttlMs: DRAIN_MS * 2 });

  const queued = async (dir: string): Promise<boolean> => {
    const info = await stat(join(dir, JOURNAL_FILE)).catch(() => null);
    return info !== null && info.size > 0;
  };

  const adopt = async (name: string, dir: string): Promise<number> => {
    const lease = await leases.acquire(`outbox:${name}`);
    if (!isHeld(lease)) {
      return 0;
    }
    try {
      log.info({ dir }, 'adopting the outbox of an instance that is gone');
      const left = await options.drain(dir, DRAIN_MS);
      if (left === 0) {
        // The journal is compacted to nothing once drained; the folder goes unless it keeps dead letters.
        await rm(join(dir, JOURNAL_FILE), { force: true });
        if (dir !== root) {
          await rmdir(dir).catch(() => undefined);
        }
      }
      log.info({ dir, left }, left === 0 ? 'adopted outbox drained' : 'adopted outbox not drained yet: tried again later');
      return left === 0 ? 1 : 0;
    } finally {
      await leases.release(lease).catch(() => undefined);
    }
  };

  return {
    async sweep() {
      const entries = await readdir(root, { withFileTypes: true }).catch(() => []);
      const candidates = entries.filter((e) => e.isDirectory() && e.name !== self).map((e) => ({ name: e.name, dir: join(root, e.name) }));
      candidates.push({ name: '.', dir: root });
      const waiting = [];
      for (const c of candidates) {
        if (await queued(c.dir)) {
          waiting.push(c);
        }
      }
      if (waiting.length === 0) {
        return 0;
      }
      const alive = new Set<string>(await options.alive());
      let emptied = 0;
      for (const c of waiting.filter((w) => !alive.has(w.name))) {
        emptied += await adopt(c.name, c.dir).catch((error: unknown) => {
          log.warn({ err: error, dir: c.dir }, 'outbox adoption failed: tried again later');
          return 0;
        });
      }
      return emptied;
    },
  };
}

