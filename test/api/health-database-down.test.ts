// The server starts and serves while its database is unreachable: live stays
// 200 (a liveness probe must not restart it), ready answers 503 naming the
// database, and once the database answers the start-up set-up completes (the
// admin key works, ready turns 200) without a restart. A database that goes
// away later leaves the server degraded (200) while its outbox takes the
// check-ins, and not ready (503) once the outbox is full.
import { createServer, type AddressInfo } from 'node:net';
import { randomBytes } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/app.js';
import type { App } from '../../src/app.js';
import { testConfig } from '../helpers/test-config.js';
import { createTestDatabase } from '../helpers/database.js';
import type { TestDatabase } from '../helpers/database.js';
import { startTcpProxy } from '../helpers/tcp-proxy.js';
import { makeEmployee } from '../helpers/factories.js';
import { employeeId } from '../../src/domain/ids.js';
import type { TcpProxy } from '../helpers/tcp-proxy.js';

interface Ready {
  status: string;
  failing: string[];
  checks: Record<string, { ok: boolean; detail: string }>;
  outbox: { queued: number; capacity: number; level: string; oldest_event_at: string | null; oldest_age_seconds: number | null; retrying: boolean };
}

/** A port nothing listens on: bound, then released. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

function configFor(databaseUrl: string, adminKey: string) {
  return testConfig({ DATABASE_URL: databaseUrl, ADMIN_API_KEY: adminKey, WORKER_POOL_SIZE: '1' });
}

const get = async <T>(url: string, key?: string): Promise<{ status: number; body: T }> => {
  const res = await fetch(url, { headers: key === undefined ? {} : { authorization: `Bearer ${key}` } });
  return { status: res.status, body: (await res.json()) as T };
};

let app: App | undefined;
let proxy: TcpProxy | undefined;
let db: TestDatabase | undefined;
afterEach(async () => {
  await app?.stop();
  await proxy?.close();
  await db?.drop();
  app = undefined;
  proxy = undefined;
  db = undefined;
});

describe('database unreachable', () => {
  it('starts anyway: live 200, ready 503 naming the database, old health 503', async () => {
    const adminKey = `test-admin-${randomBytes(16).toString('hex')}`;
    app = await buildApp(configFor(`mysql://root@127.0.0.1:${await closedPort()}/nowhere`, adminKey));
    const started = performance.now();
    const { url } = await app.start();
    // One bounded ping (2 s), not the driver's pool timeouts of every start-up step.
    expect(performance.now() - started).toBeLessThan(8_000);

    const live = await get<{ status: string }>(`${url}/api/v1/system/health/live`);
    expect(live).toMatchObject({ status: 200, body: { status: 'alive' } });

    const ready = await get<Ready>(`${url}/api/v1/system/health/ready`);
    expect(ready.status).toBe(503);
    expect(ready.body.status).toBe('not_ready');
    expect(ready.body.failing).toContain('database');
    expect(ready.body.checks.database).toEqual({ ok: false, detail: 'unreachable' });
    // The engine does not need the database; the gallery does.
    expect(ready.body.checks.face_engine?.ok).toBe(true);
    expect(ready.body.failing).toEqual(['database', 'models']);

    const old = await get<{ database: string }>(`${url}/api/v1/system/health`);
    expect(old).toMatchObject({ status: 503, body: { status: 'unhealthy', database: 'down' } });

    const live2 = await fetch(`${url}/api/v1/system/health/live`);
    expect(live2.status).toBe(200);
  });

  it('completes its set-up when the database comes back, without a restart', async () => {
    db = await createTestDatabase();
    proxy = await startTcpProxy();
    await proxy.cut();
    const adminKey = `test-admin-${randomBytes(16).toString('hex')}`;
    app = await buildApp(configFor(proxy.urlFor(db.url), adminKey));
    const { url } = await app.start();
    expect((await get<Ready>(`${url}/api/v1/system/health/ready`)).body.failing).toContain('database');

    await proxy.restore();
    // Set-up retries every 5 s; ready turns 200 once it and the gallery load are through.
    const deadline = performance.now() + 30_000;
    let ready = await get<Ready>(`${url}/api/v1/system/health/ready`);
    while (ready.status !== 200 && performance.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 500));
      ready = await get<Ready>(`${url}/api/v1/system/health/ready`);
    }
    expect(ready.body.failing).toEqual([]);
    expect(ready.status).toBe(200);

    // ADMIN_API_KEY was registered by the retried set-up.
    const deadlineKey = performance.now() + 15_000;
    let me = await get<{ role?: string }>(`${url}/api/v1/auth/me`, adminKey);
    while (me.status !== 200 && performance.now() < deadlineKey) {
      await new Promise((resolve) => setTimeout(resolve, 500));
      me = await get<{ role?: string }>(`${url}/api/v1/auth/me`, adminKey);
    }
    expect(me.status).toBe(200);
    expect(me.body.role).toBe('admin');
  });

  it('a database lost after start: degraded (200) while the outbox takes check-ins, not ready (503) once it is full', async () => {
    db = await createTestDatabase();
    proxy = await startTcpProxy();
    const adminKey = `test-admin-${randomBytes(16).toString('hex')}`;
    app = await buildApp({ ...configFor(proxy.urlFor(db.url), adminKey), OUTBOX_MAX_EVENTS: 2 });
    const { url } = await app.start();
    const employee = await makeEmployee(db.prisma);
    const ready = () => get<Ready>(`${url}/api/v1/system/health/ready`);
    expect(await ready()).toMatchObject({ status: 200, body: { status: 'ready', failing: [], outbox: { queued: 0, capacity: 2, level: 'ok' } } });

    await proxy.cut();
    const checkIn = (secondsAgo: number) =>
      app!.services.attendance.recordRecognition({ employeeId: employeeId(employee.id), at: new Date(Date.now() - secondsAgo * 1000), confidence: 0.9, method: 'cosine' });
    expect((await checkIn(3)).kind).toBe('queued');
    // The database answer is cached for a second.
    await new Promise((resolve) => setTimeout(resolve, 1_100));
    const degraded = await ready();
    expect(degraded.status).toBe(200);
    expect(degraded.body).toMatchObject({ status: 'degraded', failing: ['database'], outbox: { queued: 1, capacity: 2, retrying: true } });
    expect(degraded.body.checks.outbox?.ok).toBe(true);
    expect(degraded.body.outbox.oldest_age_seconds).toBeGreaterThanOrEqual(3);

    // A second check-in fills it: new ones would be refused, so this instance is out.
    expect((await checkIn(1)).kind).toBe('queued');
    const full = await ready();
    expect(full.status).toBe(503);
    expect(full.body).toMatchObject({ status: 'not_ready', failing: ['database', 'outbox'], outbox: { queued: 2, level: 'full' } });
    expect(full.body.checks.outbox?.detail).toMatch(/^full: 2 check-ins/);

    await proxy.restore();
    const deadline = performance.now() + 30_000;
    let back = await ready();
    while ((back.body.status !== 'ready' || back.body.outbox.queued > 0) && performance.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 500));
      back = await ready();
    }
    expect(back.body).toMatchObject({ status: 'ready', failing: [], outbox: { queued: 0 } });
  });
});
