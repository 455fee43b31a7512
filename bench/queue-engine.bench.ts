// Queue engine benchmark (FACE_ENGINE=queue), all real processes on this
// machine: servers and `npm run worker` processes started with tsx, MariaDB,
// Redis, HTTP. POST /api/v1/recognition/recognize on a 640x480 JPEG with one
// face (one enrolled employee):
//  1. a server with FACE_ENGINE=local (1 worker thread) and one with
//     FACE_ENGINE=queue served by one worker process (1 thread): sequential
//     latency in alternating rounds, then each one's throughput with
//     CONCURRENCY requests in flight;
//  2. the queue server with a second worker process (2 threads in all): throughput.
// The queue's added latency is (2) minus (1), sequential p50.
// `npm run bench:queue [-- --requests=200 --concurrency=8]`; prints a table,
// writes bench/results/queue-engine.json with the load average.
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import sharp from 'sharp';
import { api, enrollFromPhotos, waitFor, type Api } from '../test/cluster/harness/api.js';
import { killAll, startChild, type Child } from '../test/cluster/harness/children.js';
import { createClusterEnv } from '../test/cluster/harness/cluster-env.js';
import { readFacePhoto } from '../test/helpers/seed-faces.js';

const OUT = fileURLToPath(new URL('./results/queue-engine.json', import.meta.url));
const arg = (name: string, fallback: number): number => Number(process.argv.find((a) => a.startsWith(`--${name}=`))?.split('=')[1] ?? fallback);
const REQUESTS = arg('requests', 200);
const SEQUENTIAL = arg('sequential', 60);
const CONCURRENCY = arg('concurrency', 8);
const ROUNDS = 5;

const pct = (values: number[], p: number): number => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
};
const r1 = (v: number): number => Math.round(v * 10) / 10;

const env = await createClusterEnv('bench');
const frame = (await sharp(readFacePhoto('probes/obama-press.jpg')).resize(640, 480, { fit: 'cover' }).jpeg({ quality: 90 }).toBuffer()).toString('base64');
const body = { frame_data: frame, log_attendance: false };

async function one(s: Api): Promise<number> {
  const t = performance.now();
  const res = await s.rest<{ faces: { employee_name: string | null }[] }>('POST', '/api/v1/recognition/recognize', body);
  if (res.status !== 200 || res.body.faces[0]?.employee_name !== 'Barack Obama') {
    throw new Error(`recognize: ${res.status} ${JSON.stringify(res.body).slice(0, 200)}`);
  }
  return performance.now() - t;
}

/** One round: a few warm-up requests, then SEQUENTIAL / ROUNDS timed ones, one at a time. */
async function sequential(s: Api): Promise<number[]> {
  for (let i = 0; i < 3; i++) {
    await one(s);
  }
  const times: number[] = [];
  for (let i = 0; i < Math.ceil(SEQUENTIAL / ROUNDS); i++) {
    times.push(await one(s));
  }
  return times;
}

async function throughput(s: Api): Promise<{ perSecond: number; p50: number; p95: number }> {
  let next = 0;
  const times: number[] = [];
  const started = performance.now();
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (next < REQUESTS) {
        next++;
        times.push(await one(s));
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  return { perSecond: r1(REQUESTS / seconds), p50: r1(pct(times, 50)), p95: r1(pct(times, 95)) };
}

const server = (name: string, extra: Record<string, string>): Promise<Child> =>
  startChild({ name, entry: 'test/cluster/harness/server-entry.ts', env: env.serverEnv({ LOG_LEVEL: 'warn', AUTO_RETRAIN: 'false', ...extra }) });
const worker = (name: string): Promise<Child> => startChild({ name, entry: 'test/cluster/harness/worker-entry.ts', env: env.serverEnv({ LOG_LEVEL: 'warn' }) });
const workersSeen = async (s: Api, n: number): Promise<void> => {
  await waitFor(`${n} workers`, async () => {
    const info = await s.rest<{ face_engine: { worker_processes: unknown[] } }>('GET', '/api/v1/system/info');
    return info.body.face_engine.worker_processes.length === n ? true : undefined;
  }, 20_000);
};

const load = { before: r1(loadavg()[0]!), after: 0 };
try {
  // Both servers run side by side (one idles while the other is measured) and the sequential
  // rounds alternate, so a drift of this shared machine's speed hits both engines alike.
  const local = await server('local', { FACE_ENGINE: 'local' });
  const l = api(local.ready, env.adminKey);
  await enrollFromPhotos(l, 'B-OBAMA', 'Barack Obama', ['people/obama/obama-1.jpg', 'people/obama/obama-2.jpg']);
  await worker('worker-1');
  const queued = await server('queue', { FACE_ENGINE: 'queue' });
  const q = api(queued.ready, env.adminKey);
  await workersSeen(q, 1);
  const localTimes: number[] = [];
  const queueTimes: number[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    localTimes.push(...(await sequential(l)));
    queueTimes.push(...(await sequential(q)));
  }
  const localSeq = { p50: r1(pct(localTimes, 50)), p95: r1(pct(localTimes, 95)) };
  const queueSeq = { p50: r1(pct(queueTimes, 50)), p95: r1(pct(queueTimes, 95)) };
  const localTput = await throughput(l);
  await local.stop();
  const queueTput1 = await throughput(q);

  // A second worker process.
  await worker('worker-2');
  await workersSeen(q, 2);
  await sequential(q);
  const queueTput2 = await throughput(q);
  load.after = r1(loadavg()[0]!);

  const result = {
    date: new Date().toISOString(),
    machine: { cpus: cpus().length, model: cpus()[0]?.model ?? 'unknown', node: process.version },
    loadAverage: load,
    requests: REQUESTS,
    sequential: SEQUENTIAL,
    concurrency: CONCURRENCY,
    frame: '640x480 JPEG, one face, one enrolled employee; WORKER_POOL_SIZE=1, WORKER_INTRA_OP_THREADS=1 everywhere',
    local: { sequentialMs: localSeq, throughput: localTput },
    queue1: { sequentialMs: queueSeq, throughput: queueTput1 },
    queue2: { throughput: queueTput2 },
    addedLatencyMs: { p50: r1(queueSeq.p50 - localSeq.p50), p95: r1(queueSeq.p95 - localSeq.p95) },
    speedupTwoWorkers: r1(queueTput2.perSecond / queueTput1.perSecond),
  };
  console.table([
    { engine: 'local, 1 thread', 'seq p50 ms': localSeq.p50, 'seq p95 ms': localSeq.p95, 'req/s': localTput.perSecond, 'p50 ms under load': localTput.p50 },
    { engine: 'queue, 1 worker', 'seq p50 ms': queueSeq.p50, 'seq p95 ms': queueSeq.p95, 'req/s': queueTput1.perSecond, 'p50 ms under load': queueTput1.p50 },
    { engine: 'queue, 2 workers', 'seq p50 ms': '', 'seq p95 ms': '', 'req/s': queueTput2.perSecond, 'p50 ms under load': queueTput2.p50 },
  ]);
  console.log(`queue adds ${result.addedLatencyMs.p50} ms at p50 (${result.addedLatencyMs.p95} ms at p95); 2 workers: x${result.speedupTwoWorkers} throughput; load ${load.before} -> ${load.after}`);
  mkdirSync(fileURLToPath(new URL('./results/', import.meta.url)), { recursive: true });
  writeFileSync(OUT, `${JSON.stringify(result, null, 2)}\n`);
} finally {
  await killAll();
  await env.cleanup();
}
