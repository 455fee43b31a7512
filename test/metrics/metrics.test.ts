// GET /metrics through the real server (real engine, MariaDB): access by
// network or bearer token, and the series an operator watches move with the
// work done (HTTP and GraphQL latency, engine tasks, recognitions, attendance
// results, training, outbox, event-loop lag), every one labelled with the
// instance id.
import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SystemInfoDocument } from '../graphql/generated.js';
import { readFacePhoto, seedPeopleFromPhotos } from '../helpers/seed-faces.js';
import { WorkerMetrics } from '../../src/metrics/worker-metrics.js';
import { startTestApp, type TestApp } from '../helpers/test-app.js';

const TOKEN = 'metrics-token-0123456789abcdef';
let t: TestApp;
let closed: TestApp;

beforeAll(async () => {
  t = await startTestApp({ env: { METRICS_TOKEN: TOKEN, AUTO_RETRAIN: 'false' } });
  // Nobody's network allowed: only the token opens it.
  closed = await startTestApp({ env: { METRICS_TOKEN: TOKEN, METRICS_ALLOW: '' }, overrides: { faceEngine: null } });
}, 120_000);
afterAll(async () => {
  await closed?.stop();
  await t?.stop();
});

async function scrape(app: TestApp, token?: string): Promise<{ status: number; text: string; type: string | null }> {
  const res = await fetch(`${app.url}/metrics`, token === undefined ? {} : { headers: { authorization: `Bearer ${token}` } });
  return { status: res.status, text: await res.text(), type: res.headers.get('content-type') };
}

/** The value of one series, matched on its name and every given label. */
function value(text: string, name: string, labels: Record<string, string> = {}): number | undefined {
  for (const line of text.split('\n')) {
    if (!line.startsWith(`${name}{`) && !line.startsWith(`${name} `)) {
      continue;
    }
    if (Object.entries(labels).every(([k, v]) => line.includes(`${k}="${v}"`))) {
      return Number(line.slice(line.lastIndexOf(' ') + 1));
    }
  }
  return undefined;
}

describe('GET /metrics access', () => {
  it('is open to an allowed network (loopback by default), in Prometheus text format', async () => {
    const res = await scrape(t);
    expect(res.status).toBe(200);
    expect(res.type).toMatch(/^text\/plain; version=0\.0\.4/);
    expect(res.text).toContain(`instance_id="${t.app.deps.instanceId}"`);
  });

  it('outside the allowed networks: 403 without a token, 401 with a wrong one, 200 with METRICS_TOKEN', async () => {
    expect((await scrape(closed)).status).toBe(403);
    expect((await scrape(closed, 'wrong-token-0123456789abcdef')).status).toBe(401);
    const ok = await scrape(closed, TOKEN);
    expect(ok.status).toBe(200);
    expect(ok.text).toContain('nodejs_eventloop_lag_seconds');
  });

  it('keeps METRICS_TOKEN out of system info', async () => {
    const info = await t.rest<{ config: Record<string, unknown> }>('GET', '/api/v1/system/info');
    expect(info.body.config.METRICS_TOKEN).toBeUndefined();
    expect(JSON.stringify(info.body)).not.toContain(TOKEN);
  });
});

describe('series', () => {
  it('HTTP latency by route pattern and GraphQL latency by operation', async () => {
    await t.rest('GET', '/api/v1/employees/424242');
    await t.gql(SystemInfoDocument, {});
    const { text } = await scrape(t);
    expect(value(text, 'http_request_duration_seconds_count', { route: '/api/v1/employees/:id', status_code: '404', method: 'GET' })).toBe(1);
    expect(value(text, 'graphql_operation_duration_seconds_count', { operation: 'SystemInfo', type: 'query', outcome: 'ok' })).toBe(1);
    expect(value(text, 'nodejs_eventloop_lag_seconds')).toBeGreaterThanOrEqual(0);
    expect(value(text, 'attendance_outbox_depth')).toBe(0);
    expect(value(text, 'face_engine_workers')).toBe(t.config.WORKER_POOL_SIZE);
    expect(value(text, 'face_engine_queue_depth')).toBe(0);
  });

  it('engine tasks, recognitions (known and unknown), attendance logged and duplicate, training duration', async () => {
    await seedPeopleFromPhotos(t.app, ['obama', 'biden'], { augmentations: 1 });
    const frame = Buffer.from(readFacePhoto('people/obama/obama-3.jpg')).toString('base64');
    const first = await t.rest('POST', '/api/v1/recognition/recognize', { body: { frame_data: frame } });
    const second = await t.rest('POST', '/api/v1/recognition/recognize', { body: { frame_data: frame } });
    const stranger = await t.rest('POST', '/api/v1/recognition/recognize', {
      body: { frame_data: Buffer.from(readFacePhoto('people/rose_leslie/rose-1.jpg')).toString('base64'), log_attendance: false },
    });
    expect([first.status, second.status, stranger.status]).toEqual([200, 200, 200]);
    const bad = await t.rest('POST', '/api/v1/recognition/recognize', { body: { frame_data: Buffer.from('not an image').toString('base64') } });
    expect(bad.status).toBe(400);
    const trained = await t.rest('POST', '/api/v1/system/train-model', { body: { force_retrain: true } });
    expect(trained.status).toBe(200);

    const { text } = await scrape(t);
    expect(value(text, 'face_engine_task_duration_seconds_count', { task: 'analyze' })).toBeGreaterThanOrEqual(3);
    expect(value(text, 'face_engine_task_failures_total', { task: 'analyze', reason: 'INVALID_IMAGE' })).toBe(1);
    expect(value(text, 'face_recognitions_total', { source: 'request', result: 'known' })).toBe(2);
    expect(value(text, 'face_recognitions_total', { source: 'request', result: 'unknown' })).toBe(1);
    expect(value(text, 'attendance_recognitions_total', { result: 'logged' })).toBe(1);
    expect(value(text, 'attendance_recognitions_total', { result: 'duplicate' })).toBe(1);
    expect(value(text, 'attendance_logs_written_total')).toBe(1);
    expect(value(text, 'training_duration_seconds_count', { outcome: 'trained' })).toBe(1);
  }, 120_000);
});

describe('docs/grafana-dashboard.json', () => {
  it('only graphs series the server or a queue worker exports', async () => {
    const dashboard = JSON.parse(await readFile(new URL('../../docs/grafana-dashboard.json', import.meta.url), 'utf8')) as {
      panels: { targets: { expr: string }[] }[];
    };
    // A worker's series come from the class its METRICS_PORT listener serves (scraped for real in test/cluster/queue-engine.test.ts).
    const text = `${(await scrape(t)).text}\n${await new WorkerMetrics('worker-x').text()}`;
    const exported = new Set([...text.matchAll(/^# TYPE (\S+) (\w+)$/gm)].flatMap(([, name, type]) =>
      type === 'histogram' ? [`${name}_bucket`, `${name}_sum`, `${name}_count`] : [name!],
    ));
    const used = new Set(dashboard.panels.flatMap((p) => p.targets.flatMap((target) => [...target.expr.matchAll(/([a-z_][a-z0-9_]*)\{/g)].map((m) => m[1]!))));
    expect(used.size).toBeGreaterThan(10);
    expect([...used].filter((name) => !exported.has(name))).toEqual([]);
  });
});
