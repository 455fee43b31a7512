// The Redis store of kiosk challenges (src/cluster/redis-challenge-store.ts)
// against the real Redis, with two store objects standing for two instances:
// frames appended through both are seen by both in arrival order, a full or
// decided challenge takes no more frames, a decision is made once and read by
// the other (NaN scores included), and a failed decision can be retried.
import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import { createRedisChallengeStore } from '../../src/cluster/redis-challenge-store.js';
import { redisNamespace } from '../../src/cluster/redis-namespace.js';
import { createChallenge } from '../../src/liveness/challenge.js';
import { createMemoryChallengeStore, MAX_CHALLENGE_FRAMES, type ChallengeStore } from '../../src/liveness/challenge-store.js';
import type { ChallengeFrame } from '../../src/liveness/decision.js';

const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
const prefix = `fa-test-challenge-store-${randomBytes(4).toString('hex')}`;
const redis = new Redis(REDIS_URL, { maxRetriesPerRequest: 1 });
const other = new Redis(REDIS_URL, { maxRetriesPerRequest: 1 });
const one = createRedisChallengeStore({ redis, ns: redisNamespace(prefix) });
const two = createRedisChallengeStore({ redis: other, ns: redisNamespace(prefix) });

afterAll(async () => {
  const left = await redis.keys(`${prefix}:*`);
  if (left.length > 0) {
    await redis.del(...left);
  }
  redis.disconnect();
  other.disconnect();
});

const frame = (at: number, seed: number): ChallengeFrame => ({
  at,
  landmarks: Float64Array.from({ length: 136 }, (_, i) => Math.sin(seed + i) * 100.123456789),
  embedding: Float32Array.from({ length: 512 }, (_, i) => Math.cos(seed * i)),
  liveness: seed / 10,
});

async function started(store: ChallengeStore): Promise<string> {
  const id = randomBytes(8).toString('hex');
  await store.add({ id, challenge: createChallenge(Date.now()), startedBy: null, cameraId: 7 });
  return id;
}

const memory = createMemoryChallengeStore();
const cases: [string, ChallengeStore, ChallengeStore][] = [
  ['redis (two connections)', one, two],
  ['memory (one process)', memory, memory],
];

describe.each(cases)('challenge store: %s', (_name, first, second) => {
  it('keeps frames from both sides in arrival order, landmarks and embeddings bit for bit', async () => {
    const id = await started(first);
    expect(await second.get(id)).toMatchObject({ id, cameraId: 7 });
    const sent = [frame(1, 1), frame(2, 2), frame(3, 3)];
    expect(await first.append(id, sent[0]!)).toEqual({ count: 1 });
    expect(await second.append(id, sent[1]!)).toEqual({ count: 2 });
    expect(await first.append(id, sent[2]!)).toEqual({ count: 3 });
    const frames = await second.frames(id);
    expect(frames.map((f) => f.at)).toEqual([1, 2, 3]);
    expect(frames[1]!.landmarks).toEqual(sent[1]!.landmarks);
    expect(frames[1]!.embedding).toEqual(sent[1]!.embedding);
    expect(frames[2]!.liveness).toBe(0.3);
    expect((await first.poses(id)).map((p) => p.landmarks)).toEqual(sent.map((f) => f.landmarks));
    expect(await first.append('missing', sent[0]!)).toEqual({ refused: 'gone' });
  });

  it(`takes no frame past ${MAX_CHALLENGE_FRAMES}`, async () => {
    const id = await started(first);
    for (let i = 0; i < MAX_CHALLENGE_FRAMES; i++) {
      await (i % 2 ? first : second).append(id, { at: i, landmarks: new Float64Array(136) });
    }
    expect(await first.append(id, { at: 999, landmarks: new Float64Array(136) })).toEqual({ refused: 'full' });
  });

  it('decides once for both sides, keeps NaN, refuses frames from the start of the decision, and lets a failed decision be retried', async () => {
    const id = await started(first);
    await expect(first.decideOnce(id, async () => Promise.reject(new Error('database away')))).rejects.toThrow(/database away/);
    expect(await second.decided(id)).toBe(false);
    let runs = 0;
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const decide = async () => {
      runs++;
      await gate;
      return { verdict: 'refused', score: Number.NaN, steps: [1, 2] };
    };
    const p1 = first.decideOnce(id, decide);
    const p2 = second.decideOnce(id, decide);
    await new Promise((resolve) => setTimeout(resolve, 30));
    expect(await second.append(id, frame(5, 5))).toEqual({ refused: 'decided' });
    release();
    const [r1, r2] = await Promise.all([p1, p2]);
    expect(runs).toBe(1);
    expect(r1).toEqual({ verdict: 'refused', score: Number.NaN, steps: [1, 2] });
    expect(r2).toEqual(r1);
    expect(await first.decided(id)).toBe(true);
  });
});
