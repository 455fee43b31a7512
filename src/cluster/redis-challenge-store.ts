// Kiosk liveness challenges in Redis, so a kiosk behind the load balancer may
// start a challenge on one instance, send its frames through others and ask
// any of them for the result. Keys (all expiring a minute after the deadline):
//   challenge:<id>            the record (JSON)
//   challenge:<id>:frames     one binary value per frame (landmarks, embedding, P(live))
//   challenge:<id>:poses      the same frames' time and landmarks only (JSON), read for
//                             every frame's feedback without moving the embeddings
//   challenge:<id>:deciding   held while one instance decides (SET NX, token)
//   challenge:<id>:outcome    the decision, read by every later result request
// A frame is appended by one Lua script (exists, undecided, has room, push to
// both lists), so frames through several instances never overwrite each other
// and none lands after the decision started.
import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import { decodeMessage, encodeMessage } from '../engine/queue/binary-codec.js';
import {
  KEEP_AFTER_DEADLINE_MS,
  MAX_CHALLENGE_FRAMES,
  type AppendRefusal,
  type ChallengeRecord,
  type ChallengeStore,
} from '../liveness/challenge-store.js';
import type { ChallengeFrame } from '../liveness/decision.js';
import type { PoseFrame } from '../liveness/follow-sequence.js';
import type { RedisNamespace } from './redis-namespace.js';

/** How long one decision may hold the challenge (recognition, an attendance write, an audit row). */
const DECIDING_MS = 30_000;

// KEYS: record, frames, poses, deciding, outcome; ARGV: frame, pose, max frames.
// Returns the frame count, or -1 gone, -2 decided (or being decided), -3 full.
const APPEND = `
if redis.call('EXISTS', KEYS[1]) == 0 then return -1 end
if redis.call('EXISTS', KEYS[4]) == 1 or redis.call('EXISTS', KEYS[5]) == 1 then return -2 end
if redis.call('LLEN', KEYS[2]) >= tonumber(ARGV[3]) then return -3 end
local ttl = redis.call('PTTL', KEYS[1])
local n = redis.call('RPUSH', KEYS[2], ARGV[1])
redis.call('RPUSH', KEYS[3], ARGV[2])
if ttl > 0 then
  redis.call('PEXPIRE', KEYS[2], ttl)
  redis.call('PEXPIRE', KEYS[3], ttl)
end
return n`;

const UNLOCK = `
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0`;

const REFUSALS: Record<number, AppendRefusal> = { [-1]: 'gone', [-2]: 'decided', [-3]: 'full' };

/** Landmarks travel as plain numbers (JSON keeps a double exactly); the binary codec carries the embedding. */
interface StoredFrame {
  at: number;
  landmarks: number[];
  embedding?: Float32Array;
  liveness?: number;
}

/** JSON that keeps NaN and the infinities (a decision without frames has a NaN passive score). */
const stringifyOutcome = (value: unknown): string =>
  JSON.stringify(value, (_k, v: unknown) => (typeof v === 'number' && !Number.isFinite(v) ? { $num: String(v) } : v));
const parseOutcome = (text: string): unknown =>
  JSON.parse(text, (_k, v: unknown) =>
    v !== null && typeof v === 'object' && typeof (v as { $num?: unknown }).$num === 'string' ? Number((v as { $num: string }).$num) : v,
  );

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

export function createRedisChallengeStore(options: { redis: Redis; ns: RedisNamespace; clock?: () => number }): ChallengeStore {
  const { redis, ns } = options;
  const now = options.clock ?? Date.now;
  const keys = (id: string) => ({
    record: ns.key('challenge', id),
    frames: ns.key('challenge', id, 'frames'),
    poses: ns.key('challenge', id, 'poses'),
    deciding: ns.key('challenge', id, 'deciding'),
    outcome: ns.key('challenge', id, 'outcome'),
  });
  /** Milliseconds until the challenge's keys expire. */
  const ttlOf = async (id: string): Promise<number> => Math.max(1_000, await redis.pttl(keys(id).record));

  return {
    shared: true,
    add: async (record) => {
      const ttl = Math.max(1_000, record.challenge.deadline - now() + KEEP_AFTER_DEADLINE_MS);
      await redis.set(keys(record.id).record, JSON.stringify(record), 'PX', ttl);
    },
    get: async (id) => {
      const text = await redis.get(keys(id).record);
      return text === null ? undefined : (JSON.parse(text) as ChallengeRecord);
    },
    append: async (id, frame) => {
      const k = keys(id);
      const stored: StoredFrame = {
        at: frame.at,
        landmarks: Array.from(frame.landmarks),
        ...(frame.embedding ? { embedding: frame.embedding } : {}),
        ...(frame.liveness !== undefined ? { liveness: frame.liveness } : {}),
      };
      const pose = JSON.stringify({ at: frame.at, landmarks: stored.landmarks });
      const n = Number(await redis.eval(APPEND, 5, k.record, k.frames, k.poses, k.deciding, k.outcome, encodeMessage(stored), pose, MAX_CHALLENGE_FRAMES));
      const refusal = REFUSALS[n];
      return refusal ? { refused: refusal } : { count: n };
    },
    poses: async (id) =>
      (await redis.lrange(keys(id).poses, 0, -1)).map((text): PoseFrame => {
        const p = JSON.parse(text) as { at: number; landmarks: number[] };
        return { at: p.at, landmarks: Float64Array.from(p.landmarks) };
      }),
    frames: async (id) =>
      (await redis.lrangeBuffer(keys(id).frames, 0, -1)).map((bytes): ChallengeFrame => {
        const f = decodeMessage<StoredFrame>(bytes);
        return { ...f, landmarks: Float64Array.from(f.landmarks) };
      }),
    decided: async (id) => (await redis.exists(keys(id).deciding, keys(id).outcome)) > 0,
    async decideOnce<T>(id: string, decide: () => Promise<T>): Promise<T> {
      const k = keys(id);
      const token = randomUUID();
      const giveUp = Date.now() + 2 * DECIDING_MS;
      for (let wait = 5; ; wait = Math.min(100, wait * 2)) {
        const stored = await redis.get(k.outcome);
        if (stored !== null) {
          return parseOutcome(stored) as T; // written below by this same code for this challenge
        }
        if ((await redis.set(k.deciding, token, 'PX', DECIDING_MS, 'NX')) === 'OK') {
          break;
        }
        if (Date.now() > giveUp) {
          throw new Error(`liveness challenge ${id} stayed undecided: another instance holds it`);
        }
        await sleep(wait); // another instance is deciding: its outcome will be ours
      }
      try {
        // Decided between our read and our mark: take that outcome.
        const late = await redis.get(k.outcome);
        if (late !== null) {
          return parseOutcome(late) as T;
        }
        const outcome = await decide();
        await redis.set(k.outcome, stringifyOutcome(outcome), 'PX', await ttlOf(id));
        return outcome;
      } finally {
        await redis.eval(UNLOCK, 1, k.deciding, token).catch(() => undefined);
      }
    },
  };
}
