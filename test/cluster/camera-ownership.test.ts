// Two server processes on one database and one Redis, and a looping file
// camera (the walk-by video): exactly one instance captures it, both show the
// same owner; the other instance's subscribers get the owner's events; each
// person is checked in once; start/stop sent to the other instance reach the
// owner; a paused owner loses the camera and, once it wakes up, stops writing;
// a SIGKILLed owner's camera moves to the survivor within 15 s. The recent
// recognitions (GET /recognition/recognized) read the same on both instances,
// named and settled, and an erasure through either drops the person there.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api, enrollFromPhotos, waitFor, type Api } from './harness/api.js';
import { killAll, startChild, type Child } from './harness/children.js';
import { createClusterEnv, type ClusterEnv } from './harness/cluster-env.js';
import { subscribeSse, type SseSubscription } from './harness/sse.js';
import { WALKBY_MP4 } from '../cameras/walkby.js';

const FAILOVER_LIMIT_MS = 15_000;
let env: ClusterEnv;
const servers: { child: Child; api: Api; id: string }[] = [];
let cameraId = 0;
const people = new Map<number, string>();

interface RecognizedJson {
  camera_id: number;
  track_id: number;
  employee_id: number;
  employee_name: string | null;
  timestamp: string;
  attendance: string;
  instance_id: string;
}
const recentOn = async (s: Api, query = ''): Promise<RecognizedJson[]> => {
  const res = await s.rest<{ recognized: RecognizedJson[]; count: number }>('GET', `/api/v1/recognition/recognized?limit=500${query}`);
  expect(res.status).toBe(200);
  expect(res.body.count).toBe(res.body.recognized.length);
  return res.body.recognized;
};

interface CameraInfoJson {
  camera_id: number;
  owner: string | null;
  state: string;
  frames_processed: number;
}

const infoOn = async (s: Api): Promise<CameraInfoJson> => {
  const res = await s.rest<{ cameras: CameraInfoJson[] }>('GET', `/api/v1/recognition/camera/info?camera_id=${cameraId}`);
  return res.body.cameras[0]!;
};
const byId = (id: string) => servers.find((s) => s.id === id)!;
const other = (id: string) => servers.find((s) => s.id !== id)!;

/** The owner every given server reports once they agree and it captures frames. */
async function agreedOwner(on: typeof servers, timeoutMs: number, not?: string): Promise<string> {
  return waitFor(
    'one owner, the same on every instance, capturing',
    async () => {
      const infos = await Promise.all(on.map((s) => infoOn(s.api)));
      const owner = infos[0]!.owner;
      const agreed = owner !== null && owner !== not && infos.every((i) => i.owner === owner);
      return agreed && infos[0]!.state === 'connected' ? owner : undefined;
    },
    timeoutMs,
    100,
  );
}

async function camerasSeries(s: Api): Promise<string[]> {
  const res = await fetch(`${s.url}/metrics`);
  return (await res.text()).split('\n').filter((l) => l.startsWith('camera_connected{'));
}

beforeAll(async () => {
  env = await createClusterEnv('cams');
  for (const name of ['a', 'b']) {
    const child = await startChild({ name: `server-${name}`, entry: 'test/cluster/harness/server-entry.ts', env: env.serverEnv({ AUTO_RETRAIN: 'false' }) });
    servers.push({ child, api: api(child.ready, env.adminKey), id: String(child.info.instanceId) });
  }
  const a = servers[0]!.api;
  for (const [code, name, photos] of [
    ['W-OBAMA', 'Barack Obama', ['people/obama/obama-1.jpg', 'people/obama/obama-2.jpg']],
    ['W-KIT', 'Kit Harington', ['people/kit_harington/kit-1.jpg', 'people/kit_harington/kit-2.jpg']],
    ['W-ALEX', 'Alex Lacamoire', ['people/alex_lacamoire/alex-1.jpg']],
  ] as const) {
    people.set(await enrollFromPhotos(a, code, name, [...photos]), name);
  }
}, 240_000);

afterAll(async () => {
  await killAll();
  await env?.cleanup();
}, 60_000);

describe('camera ownership across two instances', () => {
  let owner = '';
  let recognizedOnOther: SseSubscription<{ recognized: { cameraId: number; employeeId: number } }>;

  it('exactly one instance captures an enabled camera, and both report it as the owner', async () => {
    const created = await servers[0]!.api.rest<{ id: number }>('POST', '/api/v1/cameras', { name: 'door', source: WALKBY_MP4, loop: true, enabled: true });
    expect(created.status).toBe(201);
    cameraId = created.body.id;
    owner = await agreedOwner(servers, 60_000);
    expect(servers.map((s) => s.id)).toContain(owner);
    // Only the owner runs it: the other has no camera series of its own.
    await waitFor('frames on the owner', async () => ((await infoOn(byId(owner).api)).frames_processed > 0 ? true : undefined), 30_000);
    expect(await camerasSeries(other(owner).api)).toEqual([]);
    expect((await camerasSeries(byId(owner).api)).length).toBe(1);
  }, 120_000);

  it("the other instance's subscribers get the owner's decisions, and each person is checked in once", async () => {
    recognizedOnOther = subscribeSse(other(owner).api.url, env.adminKey, 'subscription { recognized { cameraId employeeId } }');
    // One loop of the video shows all three (17 s); allow two under load.
    for (const employeeId of people.keys()) {
      await recognizedOnOther.waitFor((e) => e.recognized.employeeId === employeeId && e.recognized.cameraId === cameraId, 1, 90_000);
    }
    const logs = await waitFor(
      'a check-in for each person',
      async () => {
        const res = await servers[1]!.api.rest<{ employee_id: number; event_type: string; camera_id: number }[]>('GET', '/api/v1/attendance/logs?limit=100');
        return new Set(res.body.map((l) => l.employee_id)).size === people.size ? res.body : undefined;
      },
      20_000,
    );
    // More decisions than logs: the loop shows everyone again, the dedupe window keeps one log each.
    expect(logs.map((l) => l.employee_id).sort()).toEqual([...people.keys()].sort());
    expect(logs.every((l) => l.event_type === 'check_in' && l.camera_id === cameraId)).toBe(true);
  }, 200_000);

  it("the recent recognitions read the same through both instances: the owner's decisions, named and settled", async () => {
    const settled = (list: RecognizedJson[]) => list.filter((r) => r.attendance !== 'pending');
    const onOther = await waitFor(
      "the owner's decisions of every person, settled, on the other instance",
      async () => {
        const list = settled(await recentOn(other(owner).api, `&camera_id=${cameraId}`));
        return new Set(list.map((r) => r.employee_id)).size === people.size ? list : undefined;
      },
      20_000,
    );
    expect(onOther.every((r) => r.instance_id === owner && r.camera_id === cameraId)).toBe(true);
    expect(onOther.every((r) => r.employee_name === people.get(r.employee_id))).toBe(true);
    expect(onOther.every((r) => r.attendance === 'logged' || r.attendance === 'duplicate')).toBe(true);
    const times = onOther.map((r) => Date.parse(r.timestamp));
    expect(times).toEqual([...times].sort((x, y) => y - x));
    // The owner answers with the same settled decisions (it may hold a newer one still pending).
    const onOwner = settled(await recentOn(byId(owner).api, `&camera_id=${cameraId}`));
    const key = (r: RecognizedJson) => `${r.track_id}@${r.timestamp}`;
    const ownerKeys = new Set(onOwner.map(key));
    expect(onOther.filter((r) => Date.parse(r.timestamp) <= Date.parse(onOwner[0]!.timestamp)).every((r) => ownerKeys.has(key(r)))).toBe(true);
    expect(await recentOn(other(owner).api, '&camera_id=999999')).toEqual([]);
    const two = await other(owner).api.rest<{ recognized: RecognizedJson[] }>('GET', '/api/v1/recognition/recognized?limit=2');
    expect(two.body.recognized).toHaveLength(2);
  }, 60_000);

  it('cameras spread over the instances (two each of four)', async () => {
    // Dead stream URLs: owned and reconnecting, without the cost of decoding video.
    const extra: number[] = [];
    for (const n of [1, 2, 3]) {
      const res = await servers[n % 2]!.api.rest<{ id: number }>('POST', '/api/v1/cameras', { name: `dead-${n}`, source: `rtsp://127.0.0.1:9/none-${n}`, enabled: true });
      expect(res.status).toBe(201);
      extra.push(res.body.id);
    }
    let lastSeen = '';
    const counts = await waitFor(
      'two cameras on each instance',
      async () => {
        const all = await servers[0]!.api.rest<{ cameras: CameraInfoJson[] }>('GET', '/api/v1/recognition/camera/info');
        const perOwner = new Map<string, number>();
        for (const c of all.body.cameras) {
          perOwner.set(String(c.owner), (perOwner.get(String(c.owner)) ?? 0) + 1);
        }
        lastSeen = JSON.stringify(all.body.cameras.map((c) => [c.camera_id, c.owner, c.state]));
        return servers.every((srv) => perOwner.get(srv.id) === 2) ? perOwner : undefined;
      },
      40_000,
    ).catch((error: unknown) => {
      throw new Error(`${(error as Error).message}; last seen ${lastSeen}`);
    });
    expect([...counts.values()]).toEqual([2, 2]);
    for (const id of extra) {
      expect((await servers[1]!.api.rest('DELETE', `/api/v1/cameras/${id}`)).status).toBe(204);
    }
    owner = await agreedOwner(servers, 30_000);
  }, 90_000);

  it('stop and start sent to the other instance reach the owner', async () => {
    const via = other(owner).api;
    const stopped = await via.rest<CameraInfoJson>('POST', `/api/v1/cameras/${cameraId}/stop`);
    expect(stopped.status).toBe(200);
    expect(stopped.body).toMatchObject({ owner, state: 'stopped' });
    expect((await infoOn(byId(owner).api)).state).toBe('stopped');
    const started = await via.rest<CameraInfoJson>('POST', `/api/v1/cameras/${cameraId}/start`);
    expect(started.status).toBe(200);
    expect(started.body.owner).toBe(owner);
    expect(await agreedOwner(servers, 30_000)).toBe(owner);
  }, 60_000);

  it('a paused owner loses the camera to the other, and stops capturing once it wakes up', async () => {
    const paused = byId(owner);
    const survivor = other(owner);
    paused.child.kill('SIGSTOP');
    const started = performance.now();
    try {
      owner = await agreedOwner([survivor], 30_000, paused.id);
      expect(owner).toBe(survivor.id);
      const took = performance.now() - started;
      console.info(`takeover from a paused owner: ${Math.round(took)} ms`);
      expect(took).toBeLessThan(FAILOVER_LIMIT_MS);
    } finally {
      paused.child.kill('SIGCONT');
    }
    // Awake, the old owner finds its lease gone: it stops its capture and shows the new owner.
    await waitFor('the woken instance to let go', async () => ((await camerasSeries(paused.api)).length === 0 ? true : undefined), 15_000);
    expect(await agreedOwner(servers, 15_000)).toBe(survivor.id);
  }, 90_000);

  it('a SIGKILLed owner: the survivor captures the camera within 15 s', async () => {
    const victim = byId(owner);
    const survivor = other(owner);
    victim.child.kill('SIGKILL');
    const started = performance.now();
    const next = await agreedOwner([survivor], 30_000, victim.id);
    const took = performance.now() - started;
    console.info(`failover after SIGKILL: ${Math.round(took)} ms`);
    expect(next).toBe(survivor.id);
    expect(took).toBeLessThan(FAILOVER_LIMIT_MS);
    owner = next;
    const before = (await infoOn(survivor.api)).frames_processed;
    await waitFor('frames on the survivor', async () => ((await infoOn(survivor.api)).frames_processed > before ? true : undefined), 20_000);
    recognizedOnOther.close();
  }, 60_000);

  it('an erasure drops the person from the recent recognitions of the deployment', async () => {
    const survivor = byId(owner);
    const [erased] = [...people.keys()];
    expect((await recentOn(survivor.api)).some((r) => r.employee_id === erased)).toBe(true);
    expect((await survivor.api.rest('DELETE', `/api/v1/employees/${erased}?erase=true`)).status).toBe(200);
    expect((await recentOn(survivor.api)).some((r) => r.employee_id === erased)).toBe(false);
    // Nothing of theirs is left in Redis's list either.
    const items = await env.redis.lrange(`${env.prefix}:recognitions:recent`, 0, -1);
    expect(items.length).toBeGreaterThan(0);
    expect(items.map((i) => (JSON.parse(i) as { employeeId: number }).employeeId)).not.toContain(erased);
  }, 30_000);
});
