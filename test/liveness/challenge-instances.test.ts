// Kiosk challenges across instances: two servers in this process on one
// database and one Redis (REDIS_URL set, a REDIS_PREFIX of their own), sharing
// nothing in memory. A challenge started through one takes its frames through
// both and gives its result through either; asked of both at once it is
// decided once (one check-in). Landmarks of a synthetic 3D head are put on real
// frames at the engine boundary, as in challenge-api.test.ts (no real head
// video exists on these machines); the rest is real.
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp, type App } from '../../src/app.js';
import { parseConfig } from '../../src/config.js';
import type { TurnDirection } from '../../src/liveness/challenge.js';
import { restRequest, type RestResponse } from '../helpers/rest-client.js';
import { seedPeopleFromPhotos, type SeededPerson } from '../helpers/seed-faces.js';
import { FACES_DIR } from '../helpers/shared-faces.js';
import { startTestEngine } from '../helpers/test-engine.js';
import { startTestApp, type TestApp } from '../helpers/test-app.js';
import { headPoints, project } from './head-model.js';
import { LandmarkSeamEngine } from './landmark-seam-engine.js';

const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
const PREFIX = `fa-test-challenge-${randomBytes(4).toString('hex')}`;

let engine: LandmarkSeamEngine;
let a: TestApp;
let b: App;
let bUrl: string;
let kioskKey: string;
let obama: SeededPerson;
let redis: Redis;
const photo = Buffer.from(readFileSync(`${FACES_DIR}probes/obama-press.jpg`)).toString('base64');

type Instance = 'a' | 'b';
const rest = <T>(on: Instance, method: string, route: string, body?: unknown): Promise<RestResponse<T>> =>
  restRequest<T>(on === 'a' ? a.url : bUrl, method, route, { key: kioskKey, ...(body === undefined ? {} : { body }) });

/** Per frame, the signed fraction of a full turn (+ = the person's left): frontal, then out and back per turn. */
function turnPlan(steps: readonly TurnDirection[]): number[] {
  return [0, 0, ...steps.flatMap((s) => [0.6, 1, 0].map((f) => (s === 'left' ? f : -f)))];
}

beforeAll(async () => {
  redis = new Redis(REDIS_URL, { maxRetriesPerRequest: 1 });
  engine = new LandmarkSeamEngine(await startTestEngine({ workers: 1 }));
  const env = { LIVENESS_MODE: 'challenge', AUTO_RETRAIN: 'false', AUGMENTATION_COUNT: '2', REDIS_URL, REDIS_PREFIX: PREFIX };
  a = await startTestApp({ env, overrides: { faceEngine: engine } });
  obama = (await seedPeopleFromPhotos(a.app, ['obama']))[0]!;
  kioskKey = await a.createKey('kiosk');
  // The second instance: same database, Redis and secrets, its own memory; started after the
  // seeding so it loads Obama's templates itself.
  const parsed = parseConfig({
    ...Object.fromEntries(Object.entries(a.config).flatMap(([k, v]) => (v === undefined ? [] : [[k, String(v)]]))),
    ADMIN_API_KEY: a.adminKey,
  });
  if (!parsed.ok) {
    throw new Error(parsed.problems.join('; '));
  }
  b = await buildApp(parsed.config, { prisma: a.db.prisma, faceEngine: engine });
  bUrl = (await b.start()).url;
}, 120_000);
afterAll(async () => {
  await b?.stop();
  await a?.stop();
  await engine?.close();
  const left = await redis.keys(`${PREFIX}:*`);
  if (left.length > 0) {
    await redis.del(...left);
  }
  redis.disconnect();
});

describe('a challenge shared by two instances', () => {
  it('starts on one, takes frames through both, and is decided once when both are asked for the result', async () => {
    const started = await rest<{ challenge_id: string; steps: TurnDirection[] }>('a', 'POST', '/api/v1/liveness/challenges', {});
    expect(started.status).toBe(201);
    const { challenge_id: id, steps } = started.body;
    // Kept in Redis under this deployment's prefix, not in A's memory.
    expect(await redis.exists(`${PREFIX}:challenge:${id}`)).toBe(1);

    let last: { turns_done: number; instruction: string | null } | undefined;
    for (const [i, f] of turnPlan(steps).entries()) {
      engine.push(project(headPoints({ yaw: 30 * f, pitch: 2 })));
      // Alternate: B must see the turns that A took, and the other way round.
      const fed = await rest<{ accepted: boolean; turns_done: number; instruction: string | null }>(
        i % 2 === 0 ? 'b' : 'a',
        'POST',
        `/api/v1/liveness/challenges/${id}/frames`,
        { frame_data: photo },
      );
      expect(fed.status, JSON.stringify(fed.body)).toBe(200);
      expect(fed.body.accepted).toBe(true);
      last = fed.body;
    }
    expect(last).toMatchObject({ turns_done: 3, instruction: null });
    expect(await redis.llen(`${PREFIX}:challenge:${id}:frames`)).toBe(turnPlan(steps).length);

    const [onA, onB] = await Promise.all([
      rest<Record<string, unknown>>('a', 'POST', `/api/v1/liveness/challenges/${id}/result`),
      rest<Record<string, unknown>>('b', 'POST', `/api/v1/liveness/challenges/${id}/result`),
    ]);
    expect(onB.status).toBe(200);
    expect(onB.body).toMatchObject({ verdict: 'live', reason: null, employee_id: obama.employee.id, attendance: { status: 'logged' } });
    expect(onA.body).toEqual(onB.body); // one decision, read by both
    expect(await a.db.prisma.attendanceLog.count({ where: { employeeId: obama.employee.id } })).toBe(1);

    // Decided: no instance takes another frame for it.
    engine.push(project(headPoints({ yaw: 0, pitch: 2 })));
    const late = await rest('a', 'POST', `/api/v1/liveness/challenges/${id}/frames`, { frame_data: photo });
    expect(late.status).toBe(409);
    engine.push(project(headPoints({ yaw: 0, pitch: 2 })));
    expect((await rest('b', 'POST', `/api/v1/liveness/challenges/${id}/frames`, { frame_data: photo })).status).toBe(409);
  });

  it('refuses on one instance a still face whose frames went through the other, and keeps other kiosks out everywhere', async () => {
    const started = await rest<{ challenge_id: string }>('b', 'POST', '/api/v1/liveness/challenges', {});
    const id = started.body.challenge_id;
    for (let i = 0; i < 4; i++) {
      engine.push(project(headPoints({ yaw: 0, pitch: 2 }))); // never turns
      expect((await rest('b', 'POST', `/api/v1/liveness/challenges/${id}/frames`, { frame_data: photo })).status).toBe(200);
    }
    const result = await rest<Record<string, unknown>>('a', 'POST', `/api/v1/liveness/challenges/${id}/result`);
    expect(result.status).toBe(200);
    expect(result.body).toMatchObject({ verdict: 'refused', reason: 'sequence_not_followed', employee_id: null });

    const other = await a.createKey('kiosk');
    const foreign = await restRequest(bUrl, 'POST', `/api/v1/liveness/challenges/${id}/result`, { key: other });
    expect(foreign.status).toBe(403);
    expect((await rest('a', 'POST', '/api/v1/liveness/challenges/nope/result')).status).toBe(404);
  });
});
