// Live enrollment sessions in Redis, so a kiosk's frames may reach any
// instance behind the load balancer and a session outlives the instance that
// started it. A session is one binary value (the coverage state with its
// candidate embeddings and aligned crops, binary-codec.ts), expiring with the
// session. A frame is applied under a short per-session lock (SET NX with a
// token, released by compare-and-delete), to the latest state: frames through
// different instances never overwrite each other. A second key marks a
// session being completed.
import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import { decodeMessage, encodeMessage } from '../engine/queue/binary-codec.js';
import type { CoverageState } from '../enrollment/coverage.js';
import type { LiveSession, LiveSessionStore } from '../enrollment/session-store.js';
import type { RedisNamespace } from './redis-namespace.js';

/** A lock holder that died frees the session after this long. */
const LOCK_MS = 5_000;
/** A completion may take this long (augmenting and embedding the kept frames) before the mark lapses. */
const COMPLETING_MS = 120_000;
/** The state stays a little past the session's expiry, so a late frame reads "expired", not "not found". */
const KEEP_AFTER_EXPIRY_MS = 60_000;

const UNLOCK = `
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0`;

/** JSON-and-binary friendly form: Dates as epoch ms, the seen-frames Set as an array. */
type Stored = Omit<LiveSession, 'createdAt' | 'expiresAt' | 'state'> & {
  createdAt: number;
  expiresAt: number;
  state: Omit<CoverageState, 'seenFrames'> & { seenFrames: number[] };
};

const toStored = (s: LiveSession): Stored => ({
  ...s,
  createdAt: s.createdAt.getTime(),
  expiresAt: s.expiresAt.getTime(),
  state: { ...s.state, seenFrames: [...s.state.seenFrames] },
});

const fromStored = (s: Stored): LiveSession => ({
  ...s,
  createdAt: new Date(s.createdAt),
  expiresAt: new Date(s.expiresAt),
  state: { ...s.state, seenFrames: new Set(s.state.seenFrames) },
});

export function createRedisSessionStore(options: { redis: Redis; ns: RedisNamespace; clock?: () => number }): LiveSessionStore {
  const { redis, ns } = options;
  const now = options.clock ?? Date.now;
  const key = (id: string): string => ns.key('enrollment', id);
  const lockKey = (id: string): string => ns.key('enrollment', id, 'lock');
  const completingKey = (id: string): string => ns.key('enrollment', id, 'completing');

  const write = async (session: LiveSession): Promise<void> => {
    const ttl = Math.max(1_000, session.expiresAt.getTime() - now() + KEEP_AFTER_EXPIRY_MS);
    await redis.set(key(session.id), encodeMessage(toStored(session)), 'PX', ttl);
  };
  const read = async (id: string): Promise<LiveSession | undefined> => {
    const bytes = await redis.getBuffer(key(id));
    return bytes === null ? undefined : fromStored(decodeMessage<Stored>(bytes));
  };

  /** Runs `fn` holding the session's lock (waits for it, up to the lock's own lifetime twice). */
  const locked = async <T>(id: string, fn: () => Promise<T>): Promise<T> => {
    const token = randomUUID();
    const giveUp = Date.now() + 2 * LOCK_MS;
    for (let wait = 2; (await redis.set(lockKey(id), token, 'PX', LOCK_MS, 'NX')) !== 'OK'; wait = Math.min(50, wait * 2)) {
      if (Date.now() > giveUp) {
        throw new Error(`enrollment session ${id} stayed locked`);
      }
      await new Promise((resolve) => setTimeout(resolve, wait));
    }
    try {
      return await fn();
    } finally {
      await redis.eval(UNLOCK, 1, lockKey(id), token).catch(() => undefined);
    }
  };

  return {
    shared: true,
    add: write,
    get: read,
    update: (id, step) =>
      locked(id, async () => {
        const current = await read(id);
        if (current === undefined) {
          return undefined;
        }
        const { next, result } = step(current);
        await write(next);
        return result;
      }),
    beginCompletion: async (id) => (await redis.set(completingKey(id), '1', 'PX', COMPLETING_MS, 'NX')) === 'OK',
    endCompletion: async (id) => {
      await redis.del(completingKey(id));
    },
    isCompleting: async (id) => (await redis.exists(completingKey(id))) === 1,
    delete: async (id) => {
      await redis.del(key(id), completingKey(id));
    },
    // Expiry of shared sessions is the database sweep's (every instance runs it; the row's status is the truth).
    expired: async () => [],
    heldIds: () => [],
    size: 0,
    clear: () => undefined,
  };
}
