// Two server processes sharing one database and one Redis: what one instance
// learns, the other knows. A new hire enrolled through one is named by the
// other within 2 s (and an erasure forgets them there as fast); a guided
// enrollment session takes its frames through both and completes on either;
// two trainings asked of both at once run one after the other, and both
// instances go live with the newest classifier; reload-models asked of one
// instance reloads both and says so; an instance whose database is away is
// `degraded` (not dead) while its outbox takes the check-ins, and shows the
// queue; the outbox of an instance killed during a database outage is written
// by the other.
import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api, enrollFromPhotos, photoBase64, waitFor, type Api } from './harness/api.js';
import { killAll, startChild, type Child } from './harness/children.js';
import { createClusterEnv, type ClusterEnv } from './harness/cluster-env.js';
import { headTurnFrames } from '../enrollment-service/pose-frames.js';
import { readFacePhoto } from '../helpers/seed-faces.js';
import { startTcpProxy, type TcpProxy } from '../helpers/tcp-proxy.js';
import { startTestEngine } from '../helpers/test-engine.js';

const IN_STEP_MS = 2_000;
let env: ClusterEnv;
let proxy: TcpProxy;
let a: { child: Child; api: Api };
let b: { child: Child; api: Api };
let roseFrames: Uint8Array[] = [];
const ids = new Map<string, number>();

interface Face {
  employee_id: number | null;
  employee_name: string | null;
  attendance?: { status: string };
}
const recognize = async (s: Api, photo: string, log = false) =>
  s.rest<{ faces: Face[] }>('POST', '/api/v1/recognition/recognize', { frame_data: photoBase64(photo), log_attendance: log });
const names = async (s: Api, photo: string): Promise<(string | null)[]> => (await recognize(s, photo)).body.faces.map((f) => f.employee_name);

/** How long until `s` names `who` on `photo` (polled every 50 ms). */
async function timeUntilNamed(s: Api, photo: string, who: string | null, timeoutMs = 15_000): Promise<number> {
  const started = performance.now();
  await waitFor(`${who ?? 'nobody'} on ${photo}`, async () => ((await names(s, photo)).includes(who) ? true : undefined), timeoutMs, 50);
  return performance.now() - started;
}

beforeAll(async () => {
  env = await createClusterEnv('state');
  // Instance A reaches the database through a relay the test can cut.
  proxy = await startTcpProxy();
  const engine = await startTestEngine({ workers: 1 });
  try {
    roseFrames = await headTurnFrames(engine, readFacePhoto('people/rose_leslie/rose-1.jpg'));
  } finally {
    await engine.close();
  }
  const start = async (name: string, databaseUrl: string) => {
    const child = await startChild({
      name,
      entry: 'test/cluster/harness/server-entry.ts',
      env: env.serverEnv({ DATABASE_URL: databaseUrl, AUTO_RETRAIN: 'false', DB_CONNECT_TIMEOUT_MS: '1000', DB_QUERY_TIMEOUT_MS: '2000' }),
    });
    return { child, api: api(child.ready, env.adminKey) };
  };
  [a, b] = await Promise.all([start('server-a', proxy.urlFor(env.db.url)), start('server-b', env.db.url)]);
}, 240_000);

afterAll(async () => {
  await killAll();
  await proxy?.close();
  await env?.cleanup();
}, 60_000);

describe('state shared by two instances', () => {
  it('a new hire enrolled through one instance is named by the other within 2 s (both ways)', async () => {
    ids.set('obama', await enrollFromPhotos(a.api, 'S-OBAMA', 'Barack Obama', ['people/obama/obama-1.jpg', 'people/obama/obama-2.jpg']));
    const onB = await timeUntilNamed(b.api, 'people/obama/obama-3.jpg', 'Barack Obama');
    ids.set('biden', await enrollFromPhotos(b.api, 'S-BIDEN', 'Joe Biden', ['people/biden/biden-1.jpg']));
    const onA = await timeUntilNamed(a.api, 'people/biden/biden-2.jpg', 'Joe Biden');
    ids.set('kit', await enrollFromPhotos(a.api, 'S-KIT', 'Kit Harington', ['people/kit_harington/kit-1.jpg']));
    const kitOnB = await timeUntilNamed(b.api, 'people/kit_harington/kit-2.jpg', 'Kit Harington');
    console.info(`new hire named by the other instance after ${Math.round(onB)} / ${Math.round(onA)} / ${Math.round(kitOnB)} ms`);
    expect(Math.max(onB, onA, kitOnB)).toBeLessThan(IN_STEP_MS);
  }, 120_000);

  it('one enrollment session takes frames through both instances and completes on the other', async () => {
    const started = await a.api.rest<{ session_id: string }>('POST', '/api/v1/employees/register/start', { employee_code: 'S-ROSE', full_name: 'Rose Leslie' });
    expect(started.status, JSON.stringify(started.body)).toBe(200);
    const sessionId = started.body.session_id;
    let last: { complete: boolean; status: string } | undefined;
    for (const [n, frame] of roseFrames.entries()) {
      const via = n % 2 === 0 ? a.api : b.api;
      const res = await via.rest<{ complete: boolean; status: string }>('POST', `/api/v1/employees/register/frame/${sessionId}`, {
        frame_data: Buffer.from(frame).toString('base64'),
        frame_number: n,
      });
      expect(res.status, JSON.stringify(res.body)).toBe(200);
      last = res.body;
    }
    expect(last?.complete).toBe(true);
    // Both instances see every frame of it.
    for (const s of [a.api, b.api]) {
      const view = await s.rest<{ frame_count: number; status: string }>('GET', `/api/v1/employees/register/${sessionId}`);
      expect(view.body).toMatchObject({ frame_count: roseFrames.length, status: 'active' });
    }
    const done = await b.api.rest<{ employee_id: number; created: boolean }>('POST', '/api/v1/employees/register/complete', { session_id: sessionId });
    expect(done.status, JSON.stringify(done.body)).toBe(200);
    expect(done.body.created).toBe(true);
    ids.set('rose', done.body.employee_id);
    const again = await a.api.rest('POST', '/api/v1/employees/register/complete', { session_id: sessionId });
    expect(again.status).toBe(409);
    expect(await timeUntilNamed(a.api, 'people/rose_leslie/rose-2.jpg', 'Rose Leslie')).toBeLessThan(IN_STEP_MS);
  }, 120_000);

  it('trainings asked of both at once run one at a time; both instances go live with the newest classifier within 2 s', async () => {
    const [ta, tb] = await Promise.all([
      a.api.rest<{ status: string }>('POST', '/api/v1/system/train-model', { force_retrain: true }),
      b.api.rest<{ status: string }>('POST', '/api/v1/system/train-model', { force_retrain: true }),
    ]);
    expect([ta.status, tb.status]).toEqual([200, 200]);
    expect([ta.body.status, tb.body.status]).toEqual(['success', 'success']);
    const models = await b.api.gql<{ classifierModels: { id: number; isActive: boolean; createdAt: string; trainingMs: number }[] }>(
      'query { classifierModels(take: 5) { id isActive createdAt trainingMs } }',
    );
    const [newer, older] = models.data!.classifierModels;
    expect(newer!.isActive).toBe(true);
    // The second training started after the first one ended (a little slack: row times are the database's).
    const olderEnd = Date.parse(older!.createdAt);
    const newerStart = Date.parse(newer!.createdAt) - newer!.trainingMs;
    expect(newerStart).toBeGreaterThanOrEqual(olderEnd - 250);
    for (const s of [a.api, b.api]) {
      await waitFor(
        'the newest classifier live',
        async () => {
          const res = await s.gql<{ recognitionModels: { method: string; classifierModelId: number | null } }>('query { recognitionModels { method classifierModelId } }');
          return res.data?.recognitionModels.classifierModelId === newer!.id && res.data.recognitionModels.method === 'svm' ? true : undefined;
        },
        IN_STEP_MS,
        50,
      );
    }
  }, 180_000);

  it('reload-models asked of one instance reloads both, and the answer names both', async () => {
    interface ReloadJson {
      status: string;
      message: string;
      instances: { instance_id: string; status: string; template_count: number; employee_count: number }[];
      not_answered: string[];
    }
    const idOf = (s: { child: Child }) => String(s.child.info.instanceId);
    // A change behind the servers' backs (no event): only a reload shows it.
    await env.db.prisma.employee.update({ where: { id: ids.get('biden')! }, data: { isActive: false } });
    expect(await names(b.api, 'people/biden/biden-2.jpg')).toEqual(['Joe Biden']);
    const reload = await a.api.rest<ReloadJson>('POST', '/api/v1/system/reload-models');
    expect(reload.status, JSON.stringify(reload.body)).toBe(200);
    expect(reload.body).toMatchObject({ status: 'success', message: 'Models reloaded on 2 of 2 instances', not_answered: [] });
    expect(reload.body.instances.map((i) => [i.instance_id, i.status])).toEqual([
      [idOf(a), 'reloaded'],
      [idOf(b), 'reloaded'],
    ]);
    expect(new Set(reload.body.instances.map((i) => `${i.template_count}/${i.employee_count}`)).size).toBe(1);
    // The answer came after B reloaded: B no longer names the deactivated person.
    expect(await names(b.api, 'people/biden/biden-2.jpg')).toEqual([null]);

    // GraphQL, the other way round.
    await env.db.prisma.employee.update({ where: { id: ids.get('biden')! }, data: { isActive: true } });
    const gql = await b.api.gql<{ reloadModels: { employeeCount: number; instances: { instanceId: string; ok: boolean }[]; notAnswered: string[] } }>(
      'mutation { reloadModels { employeeCount instances { instanceId ok } notAnswered } }',
    );
    expect(gql.errors).toBeUndefined();
    expect(gql.data?.reloadModels.instances).toEqual([
      { instanceId: idOf(b), ok: true },
      { instanceId: idOf(a), ok: true },
    ]);
    expect(gql.data?.reloadModels.notAnswered).toEqual([]);
    expect(await names(a.api, 'people/biden/biden-2.jpg')).toEqual(['Joe Biden']);
  }, 60_000);

  it('an erasure through one instance is forgotten by the other within 2 s', async () => {
    const erased = await a.api.rest('DELETE', `/api/v1/employees/${ids.get('kit')}?erase=true`);
    expect(erased.status).toBe(200);
    const took = await timeUntilNamed(b.api, 'people/kit_harington/kit-2.jpg', null);
    expect(took).toBeLessThan(IN_STEP_MS);
  }, 60_000);

  it('readiness: degraded (200) with the queued check-ins shown while only the database is away, ready again once they are written', async () => {
    interface ReadyJson {
      status: string;
      failing: string[];
      checks: Record<string, { ok: boolean; detail: string }>;
      outbox: { queued: number; capacity: number; level: string; oldest_event_at: string | null; oldest_age_seconds: number | null; retrying: boolean };
    }
    const ready = (s: Api) => s.rest<ReadyJson>('GET', '/api/v1/system/health/ready');
    const before = await ready(a.api);
    expect(before.status).toBe(200);
    expect(before.body).toMatchObject({ status: 'ready', failing: [], checks: { outbox: { ok: true, detail: 'empty' } } });
    expect(before.body.outbox).toMatchObject({ queued: 0, level: 'ok', oldest_event_at: null, oldest_age_seconds: null, retrying: false });

    await proxy.cut('refuse');
    try {
      const queued = await recognize(a.api, 'people/rose_leslie/rose-2.jpg', true);
      expect(queued.body.faces[0]?.attendance?.status).toBe('queued');
      await new Promise((r) => setTimeout(r, 1_100));
      const degraded = await waitFor(
        'A degraded',
        async () => {
          const res = await ready(a.api);
          return res.body.status === 'degraded' ? res : undefined;
        },
        10_000,
      );
      expect(degraded.status).toBe(200);
      expect(degraded.body.failing).toEqual(['database']);
      expect(degraded.body.checks.outbox?.ok).toBe(true);
      expect(degraded.body.checks.outbox?.detail).toMatch(/^1 check-ins wait for the database, the oldest for \d+ s$/);
      expect(degraded.body.outbox).toMatchObject({ queued: 1, level: 'ok', retrying: true });
      expect(degraded.body.outbox.oldest_age_seconds).toBeGreaterThanOrEqual(1);
      // The other instance has its own database connection and outbox.
      expect((await ready(b.api)).body).toMatchObject({ status: 'ready', outbox: { queued: 0 } });
    } finally {
      await proxy.restore();
    }
    const back = await waitFor(
      'A ready with its outbox written',
      async () => {
        const res = await ready(a.api);
        return res.status === 200 && res.body.status === 'ready' && res.body.outbox.queued === 0 ? res : undefined;
      },
      30_000,
    );
    expect(back.body.checks.outbox).toEqual({ ok: true, detail: 'empty' });
    const logs = await b.api.rest<{ employee_id: number }[]>('GET', `/api/v1/attendance/logs?employee_id=${ids.get('rose')}`);
    expect(logs.body).toHaveLength(1);
  }, 90_000);

  it("the outbox of an instance killed during a database outage is written by the other", async () => {
    await proxy.cut('refuse');
    const queued = await recognize(a.api, 'people/obama/obama-3.jpg', true);
    expect(queued.status).toBe(200);
    expect(queued.body.faces[0]?.attendance?.status).toBe('queued');
    const folder = path.join(env.dataDir, 'outbox', a.child.info.instanceId as string);
    expect((await readdir(folder)).length).toBeGreaterThan(0);
    a.child.kill('SIGKILL');
    await a.child.exited;
    const logs = await waitFor(
      "the dead instance's check-in",
      async () => {
        const res = await b.api.rest<{ employee_id: number }[]>('GET', `/api/v1/attendance/logs?employee_id=${ids.get('obama')}`);
        return res.body.length > 0 ? res.body : undefined;
      },
      30_000,
    );
    expect(logs).toHaveLength(1);
    await waitFor('the adopted folder gone', async () => ((await readdir(folder).catch(() => null)) === null ? true : undefined), 10_000);
  }, 90_000);
});
