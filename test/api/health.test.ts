// Health for operators over HTTP: live (the process serves), ready (database,
// face engine, recognition models; 503 naming each failing part), the old
// /system/health, and GraphQL `health` answering from a one-second cache.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp } from '../helpers/test-app.js';
import type { TestApp } from '../helpers/test-app.js';
import { HealthDocument } from '../graphql/generated.js';

interface Ready {
  status: 'ready' | 'not_ready';
  failing: string[];
  checks: Record<'database' | 'face_engine' | 'models', { ok: boolean; detail: string }>;
  uptime_seconds: number;
}

describe('health with every part up', () => {
  let t: TestApp;
  const pings: number[] = [];

  beforeAll(async () => {
    t = await startTestApp({ prisma: { log: ['query'] } });
    (t.db.prisma as unknown as { $on(event: 'query', cb: (e: { query: string }) => void): void }).$on('query', (e) => {
      if (/^SELECT 1\b/i.test(e.query.trim())) {
        pings.push(performance.now());
      }
    });
  });
  afterAll(async () => {
    await t?.stop();
  });

  it('live: 200 without a key', async () => {
    const res = await t.rest<{ status: string; uptime_seconds: number }>('GET', '/api/v1/system/health/live', { key: null });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ status: 'alive', uptime_seconds: expect.any(Number) as number });
  });

  it('ready: 200 with the database, the engine and the models loaded', async () => {
    const res = await t.rest<Ready>('GET', '/api/v1/system/health/ready', { key: null });
    expect(res.status).toBe(200);
    expect(res.body.status).toBe('ready');
    expect(res.body.failing).toEqual([]);
    expect(res.body.checks.database).toEqual({ ok: true, detail: 'up' });
    expect(res.body.checks.face_engine).toEqual({ ok: true, detail: t.app.deps.faceEngine?.modelId });
    expect(res.body.checks.models.ok).toBe(true);
  });

  it('GraphQL health: one database round trip a second, however many calls', async () => {
    // Let any cached answer expire, then call 30 times (10 at once, 20 one after another).
    await new Promise((resolve) => setTimeout(resolve, 1_100));
    const start = performance.now();
    pings.length = 0;
    const burst = await Promise.all(Array.from({ length: 10 }, () => t.gql(HealthDocument, {}, null)));
    for (let i = 0; i < 20; i += 1) {
      burst.push(await t.gql(HealthDocument, {}, null));
    }
    const elapsed = performance.now() - start;
    expect(burst.every((r) => r.data?.health.database === 'up')).toBe(true);
    // Every answer within the first second came from one ping (a slow machine may cross into a second one).
    expect(pings.length).toBeLessThanOrEqual(Math.ceil(elapsed / 1_000));
    expect(pings.length).toBeGreaterThanOrEqual(1);

    await new Promise((resolve) => setTimeout(resolve, 1_100));
    const before = pings.length;
    await t.gql(HealthDocument, {}, null);
    expect(pings.length).toBe(before + 1);
  });

  it('the old health route keeps its shape', async () => {
    const res = await t.rest('GET', '/api/v1/system/health', { key: null });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ status: 'healthy', database: 'up', uptime_seconds: expect.any(Number) as number });
  });
});

describe('health without a face engine', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await startTestApp({ overrides: { faceEngine: null } });
  });
  afterAll(async () => {
    await t?.stop();
  });

  it('ready: 503 naming the engine and the models; live and the old health stay 200', async () => {
    const ready = await t.rest<Ready>('GET', '/api/v1/system/health/ready', { key: null });
    expect(ready.status).toBe(503);
    expect(ready.body.status).toBe('not_ready');
    expect(ready.body.failing).toEqual(['face_engine', 'models']);
    expect(ready.body.checks.database.ok).toBe(true);
    expect(ready.body.checks.face_engine.detail).toMatch(/not started/);
    expect((await t.rest('GET', '/api/v1/system/health/live', { key: null })).status).toBe(200);
    expect((await t.rest('GET', '/api/v1/system/health', { key: null })).status).toBe(200);
  });
});
