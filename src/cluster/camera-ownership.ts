// Which instance captures which camera (the CameraPlacement of several
// instances): every enabled camera is held by exactly one instance through a
// fenced Redis lease (lease.ts), renewed every third of its TTL.
//
// Each tick (and at once on a camera change or an instance leaving):
// 1. renew the leases held; a lease lost (someone else holds it) or that may
//    have lapsed while Redis could not be asked stops the camera here;
// 2. give up cameras no longer enabled (unless started by hand);
// 3. take free enabled cameras while under a fair share: the instance the
//    rendezvous hash prefers at once, any other after a grace period (the
//    preferred one may be dead and not yet out of the registry); past twice
//    the grace anyone takes it. A SIGKILLed owner's cameras move within
//    TTL + a few ticks;
// 4. hand back one camera per tick while holding more than a fair share
//    (preferably one another instance prefers): a new instance gets its share;
// 5. publish the info of held cameras (any instance shows any camera's state)
//    and read the others'.
// start/stop requests go to the owner over the cluster bus; writes of a
// camera (events, attendance) pass the fence (CameraFence) first.
import type { Logger } from 'pino';
import type { CameraInfo } from '../cameras/camera-info.js';
import type { CameraPlacement, LocalCameras } from '../cameras/camera-placement.js';
import { DomainError, UnavailableError } from '../domain/errors.js';
import type { Cluster } from './cluster.js';
import { ClusterTimeoutError } from './cluster-bus.js';
import type { ClusterReply } from './cluster-messages.js';
import type { InstanceEntry } from './instance-registry.js';
import type { InstanceId } from './instance-id.js';
import { createLeases, isHeld, type HeldLease } from './lease.js';
import { preferredOwner } from './rendezvous.js';

/** The write check of a camera's events and attendance: only its current, valid lease holder writes. */
export interface CameraFence {
  /** No round trip: this instance holds the camera and its lease cannot have lapsed. */
  mayWrite(cameraId: number): boolean;
  /** Asks Redis: the stored lease is still this instance's, with this token. */
  confirm(cameraId: number): Promise<boolean>;
}

export interface CameraOwnership extends CameraPlacement {
  readonly fence: CameraFence;
  /** Cameras held here (tests, metrics). */
  held(): number[];
}

export interface CameraOwnershipOptions {
  cluster: Pick<Cluster, 'redis' | 'ns' | 'instanceId' | 'bus'>;
  /** Live server instances (the registry). */
  servers(): Promise<InstanceEntry[]>;
  ttlMs: number;
  log: Logger;
}

/** A request to another instance's cameras waits this long for an answer. */
const REQUEST_TIMEOUT_MS = 10_000;

class NotOwnerError extends DomainError {
  readonly code = 'CONFLICT';
  readonly status = 409;
  constructor(cameraId: number) {
    super(`camera ${cameraId} is not held by this instance`);
  }
}

export function createCameraOwnership(options: CameraOwnershipOptions): CameraOwnership {
  const { cluster, ttlMs, log } = options;
  const self = cluster.instanceId;
  const leases = createLeases({ redis: cluster.redis, ns: cluster.ns, owner: self, ttlMs });
  const tickMs = Math.max(200, Math.floor(ttlMs / 3));
  const graceMs = tickMs * 1.5;
  const resource = (id: number): string => `camera:${id}`;
  const infoKey = (id: number): string => cluster.ns.key('camera', id, 'info');

  const held = new Map<number, HeldLease>();
  /** Stopped on request: the lease stays here (nobody else starts it) but it does not run. */
  const stoppedOnRequest = new Set<number>();
  /** Started on request: runs even while disabled, until stopped or changed. */
  const pinned = new Set<number>();
  const owners = new Map<number, InstanceId>();
  const remote = new Map<number, CameraInfo>();
  const freeSince = new Map<number, number>();
  let local: LocalCameras | undefined;
  let timer: NodeJS.Timeout | undefined;
  let stopped = false;
  let queue: Promise<unknown> = Promise.resolve();
  let again = false;
  let ticking: Promise<void> | undefined;
  let stopNotices = (): void => undefined;

  /** Every change to what is held runs here, one at a time. */
  const serial = <T>(fn: () => Promise<T>): Promise<T> => {
    const next = queue.then(fn, fn);
    queue = next.catch(() => undefined);
    return next;
  };

  const drop = async (id: number, forget: boolean): Promise<void> => {
    const lease = held.get(id);
    held.delete(id);
    pinned.delete(id);
    stoppedOnRequest.delete(id);
    await local?.halt(id, forget).catch((error: unknown) => log.warn({ err: error, cameraId: id }, 'camera did not stop cleanly'));
    if (lease) {
      await leases.release(lease).catch(() => undefined);
    }
  };

  const take = async (id: number, lease: HeldLease, why: string): Promise<CameraInfo | undefined> => {
    held.set(id, lease);
    owners.set(id, self);
    freeSince.delete(id);
    remote.delete(id);
    log.info({ cameraId: id, token: lease.token, why }, 'camera lease taken');
    try {
      return await local!.launch(id);
    } catch (error) {
      log.error({ err: error, cameraId: id }, 'camera did not start: lease given back');
      await drop(id, true);
      return undefined;
    }
  };

  const renewAll = async (): Promise<void> => {
    for (const [id, lease] of [...held]) {
      let still: boolean | undefined;
      try {
        still = await leases.renew(lease);
      } catch (error) {
        log.debug({ err: error, cameraId: id }, 'camera lease not renewed (Redis unsure)');
      }
      if (still === false) {
        log.warn({ cameraId: id, token: lease.token }, 'camera lease lost to another instance: stopped here');
        held.delete(id);
        await local?.halt(id, true);
      } else if (still === undefined && !leases.isValid(lease)) {
        log.warn({ cameraId: id }, 'camera lease may have lapsed (Redis unreachable): stopped here');
        held.delete(id);
        await local?.halt(id, true);
      }
    }
  };

  const tick = async (): Promise<void> => {
    if (local === undefined || stopped) {
      return;
    }
    await renewAll();
    const [enabled, servers] = await Promise.all([local.enabled(), options.servers()]);
    const enabledSet = new Set(enabled);
    for (const id of [...held.keys()]) {
      if (!enabledSet.has(id) && !pinned.has(id)) {
        log.info({ cameraId: id }, 'camera no longer enabled: lease given back');
        await drop(id, false);
      }
    }
    const ids = [...new Set([...enabled, ...held.keys()])];
    const holders = await leases.holders(ids.map(resource));
    const live = [...new Set([self, ...servers.map((s) => s.id)])];
    const fairShare = Math.ceil(enabled.length / live.length);
    const now = Date.now();
    for (const [i, id] of ids.entries()) {
      const holder = holders[i] ?? null;
      if (holder !== null) {
        owners.set(id, holder.owner);
        freeSince.delete(id);
        continue;
      }
      owners.delete(id);
      if (!enabledSet.has(id)) {
        continue;
      }
      const firstFree = freeSince.get(id) ?? now;
      freeSince.set(id, firstFree);
      const preferred = preferredOwner(resource(id), live) === self;
      const waited = now - firstFree;
      // Within its share, the preferred instance takes it at once and any other after the grace; past
      // twice the grace anyone takes it whatever the share: a camera must not stay without an owner.
      const withinShare = held.size < fairShare;
      if ((withinShare && (preferred || waited >= graceMs)) || waited >= 2 * graceMs) {
        const won = await leases.acquire(resource(id));
        if (isHeld(won)) {
          await take(id, won, preferred ? 'preferred' : 'unclaimed');
        } else if (won !== null) {
          owners.set(id, won.owner);
        }
      }
    }
    // More than a fair share: hand one camera over, preferably one another instance prefers (an instance
    // under its share takes it after the grace; this one does not take it back while at its share).
    if (held.size > fairShare) {
      const movable = [...held.keys()].filter((id) => !pinned.has(id) && !stoppedOnRequest.has(id));
      const candidate = movable.find((id) => preferredOwner(resource(id), live) !== self) ?? movable[0];
      if (candidate !== undefined) {
        log.info({ cameraId: candidate, held: held.size, fairShare }, 'camera handed over to spread the load');
        await drop(candidate, true);
        owners.delete(candidate);
        await cluster.bus.notify({ kind: 'camera.changed', cameraId: candidate });
      }
    }
    await publishInfo(enabled);
  };

  const publishInfo = async (enabled: number[]): Promise<void> => {
    const mine = [...held.keys()];
    const pipeline = cluster.redis.pipeline();
    for (const id of mine) {
      const info = local?.info(id);
      if (info) {
        pipeline.set(infoKey(id), JSON.stringify({ ...info, owner: self }), 'PX', ttlMs * 2);
      }
    }
    await pipeline.exec();
    const others = enabled.filter((id) => !held.has(id));
    const texts = others.length === 0 ? [] : await cluster.redis.mget(...others.map(infoKey));
    remote.clear();
    for (const [i, id] of others.entries()) {
      const text = texts[i];
      if (text) {
        remote.set(id, JSON.parse(text) as CameraInfo);
      }
    }
  };

  /** Runs a tick now (or right after the running one); errors are logged, never thrown. */
  const runTick = (): Promise<void> => {
    if (ticking) {
      again = true;
      return ticking;
    }
    ticking = serial(tick)
      .catch((error: unknown) => log.warn({ err: error }, 'camera ownership tick failed'))
      .finally(() => {
        ticking = undefined;
        if (again && !stopped) {
          again = false;
          void runTick();
        }
      });
    return ticking;
  };

  /** A camera command done here, by its holder. */
  const command = (id: number, action: 'start' | 'stop'): Promise<CameraInfo> =>
    serial(async () => {
      if (!held.has(id) || local === undefined) {
        throw new NotOwnerError(id);
      }
      if (action === 'start') {
        stoppedOnRequest.delete(id);
        pinned.add(id);
        return local.launch(id);
      }
      stoppedOnRequest.add(id);
      pinned.delete(id);
      await local.halt(id, false);
      return local.info(id)!;
    });

  const replyToInfo = (reply: ClusterReply): CameraInfo => {
    if (reply.kind === 'camera.info') {
      return reply.info;
    }
    throw new UnavailableError(`camera owner could not do it: ${reply.message}`);
  };

  /** start/stop wherever the camera is held; `undefined` from stop when nobody holds it. */
  const route = async (id: number, action: 'start' | 'stop', attempt = 0): Promise<CameraInfo | undefined> => {
    if (held.has(id)) {
      return command(id, action);
    }
    const [holder] = await leases.holders([resource(id)]);
    if (holder === null || holder === undefined) {
      if (action === 'stop') {
        return undefined;
      }
      const won = await serial(() => leases.acquire(resource(id)));
      if (isHeld(won)) {
        pinned.add(id);
        const info = await serial(() => take(id, won, 'started on request'));
        if (info === undefined) {
          throw new UnavailableError(`camera ${id} could not be started`);
        }
        return info;
      }
      return attempt < 2 ? route(id, action, attempt + 1) : undefined;
    }
    if (holder.owner === self) {
      return command(id, action);
    }
    try {
      const reply = await cluster.bus.request(holder.owner, { kind: 'camera.command', cameraId: id, action }, REQUEST_TIMEOUT_MS);
      if (reply.kind === 'error' && reply.status === 409 && attempt < 2) {
        // It changed hands meanwhile: ask the new holder.
        return route(id, action, attempt + 1);
      }
      return replyToInfo(reply);
    } catch (error) {
      if (error instanceof ClusterTimeoutError) {
        throw new UnavailableError(`camera ${id}: its owner ${holder.owner} did not answer`);
      }
      throw error;
    }
  };

  return {
    async start(cameras) {
      local = cameras;
      stopped = false;
      cluster.bus.onRequest(async (body) => {
        switch (body.kind) {
          case 'camera.command':
            return { kind: 'camera.info', info: await command(body.cameraId, body.action) };
        }
      });
      stopNotices = cluster.bus.onNotice((notice, from) => {
        if (notice.kind === 'camera.changed' && held.has(notice.cameraId)) {
          void serial(async () => {
            const result = await local!.apply(notice.cameraId);
            if (result !== 'running') {
              await drop(notice.cameraId, result === 'gone');
            }
          }).catch((error: unknown) => log.warn({ err: error, cameraId: notice.cameraId }, 'camera change not applied'));
        }
        if (from !== self || notice.kind === 'camera.changed') {
          void runTick();
        }
      });
      await cluster.bus.ready();
      await runTick();
      timer = setInterval(() => void runTick(), tickMs);
      timer.unref();
    },

    async stop() {
      stopped = true;
      clearInterval(timer);
      stopNotices();
      await ticking;
      await serial(async () => {
        for (const id of [...held.keys()]) {
          await drop(id, true);
        }
      });
      // The others take the cameras now rather than when the leases would have lapsed.
      await cluster.bus.notify({ kind: 'instance.leaving', instanceId: self }).catch(() => undefined);
    },

    async changed(id) {
      await cluster.bus.notify({ kind: 'camera.changed', cameraId: id }).catch((error: unknown) => {
        log.warn({ err: error, cameraId: id }, 'camera change not announced: applied at the next tick');
      });
    },

    async startCamera(id) {
      const info = await route(id, 'start');
      if (info === undefined) {
        throw new UnavailableError(`camera ${id} could not be started`);
      }
      return info;
    },
    stopCamera: (id) => route(id, 'stop'),

    owner: (id) => (held.has(id) ? self : (owners.get(id) ?? null)),
    remoteInfo: (id) => remote.get(id),
    held: () => [...held.keys()],

    fence: {
      mayWrite(cameraId) {
        const lease = held.get(cameraId);
        return lease !== undefined && leases.isValid(lease);
      },
      async confirm(cameraId) {
        const lease = held.get(cameraId);
        return lease !== undefined && leases.isValid(lease) && (await leases.stillHeld(lease).catch(() => false));
      },
    },
  };
}
