// FACE_ENGINE=queue through real processes: a server whose face work runs in
// `npm run worker` processes over Redis (BullMQ). No worker: 503 with
// Retry-After at once; a stuck worker: 503 within the task timeout; one and
// two workers serve recognize (both take jobs) and each serves its own
// metrics (METRICS_PORT, behind METRICS_ALLOW or METRICS_TOKEN); a worker
// SIGKILLed in the middle of a load loses no request (its jobs run on the other).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api, enrollFromPhotos, photoBase64, waitFor, type Api } from './harness/api.js';
import { killAll, startChild, type Child } from './harness/children.js';
import { createClusterEnv, type ClusterEnv } from './harness/cluster-env.js';
import { WALKBY_MP4 } from '../cameras/walkby.js';

const TASK_TIMEOUT_MS = 20_000;
let env: ClusterEnv;
let server: Child;
let s: Api;
const workers: Child[] = [];

interface EngineInfo {
  kind: string;
  workers: number;
  worker_processes: { id: string; threads: number; jobs: number }[];
}

const engineInfo = async (): Promise<EngineInfo> =>
  (await s.rest<{ face_engine: EngineInfo }>('GET', '/api/v1/system/info')).body.face_engine;

const METRICS_TOKEN = 'worker-metrics-token-0123456789';
// Worker 1: metrics for loopback (the default METRICS_ALLOW); worker 2: only with the token.
const metricsEnv = (name: string): Record<string, string> =>
  name === 'worker-1' ? { METRICS_PORT: '0', HOST: '127.0.0.1' } : { METRICS_PORT: '0', HOST: '127.0.0.1', METRICS_ALLOW: '', METRICS_TOKEN };

const startWorker = (name: string): Promise<Child> =>
  startChild({ name, entry: 'test/cluster/harness/worker-entry.ts', env: env.serverEnv(metricsEnv(name)) });

const scrape = async (worker: Child, token?: string): Promise<{ status: number; text: string }> => {
  const res = await fetch(String(worker.info.metricsUrl), token === undefined ? {} : { headers: { authorization: `Bearer ${token}` } });
  return { status: res.status, text: await res.text() };
};

/** The value of one series line carrying every given label (label order does not matter). */
const seriesValue = (text: string, name: string, labels: Record<string, string>): number => {
  const line = text
    .split('\n')
    .find((l) => l.startsWith(`${name}{`) && Object.entries(labels).every(([k, v]) => l.includes(`${k}="${v}"`)));
  return line === undefined ? 0 : Number(line.slice(line.lastIndexOf(' ') + 1));
};

const recognize = (photo: string) => s.rest<{ faces: { employee_name: string | null }[] }>('POST', '/api/v1/recognition/recognize', { frame_data: photo, log_attendance: false });

beforeAll(async () => {
  env = await createClusterEnv('queue');
  server = await startChild({
    name: 'server',
    entry: 'test/cluster/harness/server-entry.ts',
    env: env.serverEnv({ FACE_ENGINE: 'queue', WORKER_TASK_TIMEOUT_MS: String(TASK_TIMEOUT_MS), AUTO_RETRAIN: 'false' }),
  });
  s = api(server.ready, env.adminKey);
}, 180_000);

afterAll(async () => {
  await killAll();
  await env?.cleanup();
}, 60_000);

describe('FACE_ENGINE=queue', () => {
  it('with no worker at all: 503 + Retry-After at once, and system info says queue with 0 workers', async () => {
    expect(await engineInfo()).toEqual({ kind: 'queue', workers: 0, worker_processes: [] });
    const started = performance.now();
    const res = await recognize(photoBase64('people/obama/obama-1.jpg'));
    expect(res.status).toBe(503);
    expect(Number(res.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect(performance.now() - started).toBeLessThan(TASK_TIMEOUT_MS);
  });

  it('with one worker: recognizes, enrolls and names a person', async () => {
    workers.push(await startWorker('worker-1'));
    await waitFor('the worker in system info', async () => ((await engineInfo()).worker_processes.length === 1 ? true : undefined), 15_000);
    await enrollFromPhotos(s, 'Q-OBAMA', 'Barack Obama', ['people/obama/obama-1.jpg', 'people/obama/obama-2.jpg']);
    await enrollFromPhotos(s, 'Q-BIDEN', 'Joe Biden', ['people/biden/biden-1.jpg']);
    const res = await recognize(photoBase64('people/obama/obama-3.jpg'));
    expect(res.status).toBe(200);
    expect(res.body.faces.map((f) => f.employee_name)).toEqual(['Barack Obama']);
    const info = await engineInfo();
    expect(info).toMatchObject({ kind: 'queue', workers: 1 });
    expect(info.worker_processes[0]).toMatchObject({ id: workers[0]!.ready, threads: 1 });
    expect(info.worker_processes[0]!.jobs).toBeGreaterThan(0);
  }, 120_000);

  it('with two workers: both take jobs', async () => {
    workers.push(await startWorker('worker-2'));
    await waitFor('two workers in system info', async () => ((await engineInfo()).worker_processes.length === 2 ? true : undefined), 15_000);
    const before = await engineInfo();
    const photo = photoBase64('people/biden/biden-2.jpg');
    const results = await Promise.all(Array.from({ length: 16 }, () => recognize(photo)));
    expect(results.map((r) => r.status)).toEqual(results.map(() => 200));
    expect(results.every((r) => r.body.faces[0]?.employee_name === 'Joe Biden')).toBe(true);
    const after = await engineInfo();
    expect(after.workers).toBe(2);
    for (const w of after.worker_processes) {
      const earlier = before.worker_processes.find((b) => b.id === w.id)?.jobs ?? 0;
      expect(w.jobs - earlier, `jobs of ${w.id}`).toBeGreaterThan(0);
    }

    // Each worker process is scraped on its own listener, under its own instance_id.
    const [w1, w2] = [workers[0]!, workers[1]!];
    expect((await scrape(w2)).status).toBe(403);
    expect((await scrape(w2, 'not-the-metrics-token-000000')).status).toBe(401);
    for (const [worker, token] of [[w1, undefined], [w2, METRICS_TOKEN]] as const) {
      const { status, text } = await scrape(worker, token);
      expect(status).toBe(200);
      const id = { instance_id: worker.ready };
      const done = seriesValue(text, 'face_worker_jobs_total', { ...id, task: 'analyze', outcome: 'done' });
      expect(done, `analyze jobs done by ${worker.name}`).toBeGreaterThan(0);
      // Every job it answered for the server is counted, and none is still held.
      const answered = after.worker_processes.find((w) => w.id === worker.ready)!.jobs;
      const counted = ['done', 'failed'].reduce((n, outcome) => n + text.split('\n').filter((l) => l.startsWith('face_worker_jobs_total{') && l.includes(`outcome="${outcome}"`)).reduce((m, l) => m + Number(l.slice(l.lastIndexOf(' ') + 1)), 0), 0);
      expect(counted).toBe(answered);
      expect(seriesValue(text, 'face_worker_job_duration_seconds_count', { ...id, task: 'analyze' })).toBe(done);
      expect(seriesValue(text, 'face_worker_jobs_active', id)).toBe(0);
      expect(seriesValue(text, 'face_worker_threads', id)).toBe(1);
      expect(text).toContain('nodejs_eventloop_lag_seconds{');
    }
  }, 120_000);

  it('a camera on the queue engine: frames analysed by the workers, the backlog stays bounded (drop-oldest)', async () => {
    const created = await s.rest<{ id: number }>('POST', '/api/v1/cameras', { name: 'queue-door', source: WALKBY_MP4, loop: true, enabled: true });
    expect(created.status).toBe(201);
    const depths: number[] = [];
    try {
      // 25 frames a second of video against two one-thread workers: more than they can take.
      await waitFor(
        '40 frames analysed through the queue',
        async () => {
          const status = await s.rest<{ engine: { queue_depth: number } }>('GET', '/api/v1/system/status');
          depths.push(status.body.engine.queue_depth);
          const info = await s.rest<{ cameras: { frames_processed: number; state: string }[] }>('GET', `/api/v1/recognition/camera/info?camera_id=${created.body.id}`);
          return info.body.cameras[0]!.frames_processed >= 40 ? info.body.cameras[0] : undefined;
        },
        90_000,
      );
      const info = (await s.rest<{ cameras: { frames_captured: number; frames_processed: number; frames_dropped: number }[] }>('GET', `/api/v1/recognition/camera/info?camera_id=${created.body.id}`)).body.cameras[0]!;
      // Frames the workers could not take were dropped at the camera, not piled up in Redis:
      // the queue holds at most the camera's analyses in flight plus the embeddings of the
      // faces in them (a few), however long the camera runs; a backlog would be in the dozens.
      expect(Math.max(...depths)).toBeLessThanOrEqual(8);
      expect(info.frames_captured).toBeGreaterThan(info.frames_processed);
    } finally {
      expect((await s.rest('DELETE', `/api/v1/cameras/${created.body.id}`)).status).toBe(204);
    }
  }, 120_000);

  it('a worker SIGKILLed in the middle of a load: every request still answered 200 (its jobs ran on the other)', async () => {
    const photo = photoBase64('probes/kit-snow.jpg');
    let done = 0;
    const load = Array.from({ length: 24 }, async () => {
      const res = await recognize(photo);
      done++;
      return res.status;
    });
    // Kill as soon as the first answers come back: the victim holds jobs then.
    await waitFor('the first answers', async () => (done >= 2 ? true : undefined), 60_000, 20);
    workers[0]!.kill('SIGKILL');
    const statuses = await Promise.all(load);
    expect(statuses).toEqual(statuses.map(() => 200));
    // The dead worker leaves system info once its heartbeat lapses.
    await waitFor('the dead worker gone', async () => ((await engineInfo()).worker_processes.length === 1 ? true : undefined), 15_000);
    expect((await engineInfo()).worker_processes[0]!.id).toBe(workers[1]!.ready);
  }, 120_000);

  it('a worker that stops answering (SIGSTOP): 503 within the task timeout, not a hang', async () => {
    const only = workers[1]!;
    only.kill('SIGSTOP');
    try {
      const started = performance.now();
      const res = await recognize(photoBase64('people/obama/obama-1.jpg'));
      const took = performance.now() - started;
      expect(res.status).toBe(503);
      expect(res.headers.get('retry-after')).not.toBeNull();
      expect(took).toBeLessThan(TASK_TIMEOUT_MS + 3_000);
    } finally {
      only.kill('SIGCONT');
    }
  }, 60_000);

  it('once every worker is gone: 503 at once again', async () => {
    workers[1]!.kill('SIGKILL');
    await waitFor('no worker left', async () => ((await engineInfo()).workers === 0 ? true : undefined), 15_000);
    const started = performance.now();
    const res = await recognize(photoBase64('people/obama/obama-1.jpg'));
    expect(res.status).toBe(503);
    expect(performance.now() - started).toBeLessThan(2_000);
  }, 60_000);
});
