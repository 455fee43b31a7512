// Redis going away, three ways (a relay the test controls between both
// instances and Redis): events between instances are lost meanwhile, the
// process never crashes (no unhandled rejection, no uncaught 'error'),
// requests are not held up, and once Redis is back the existing subscription
// and one made during the outage both receive events again.
import { print } from 'graphql';
import { createClient, type Client } from 'graphql-ws';
import WebSocket from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp, type App } from '../../src/app.js';
import { EmployeeChangedDocument, type EmployeeChangedSubscription } from '../graphql/generated.js';
import { makeEmployee } from '../helpers/factories.js';
import { CUT_MODES, startTcpProxy, type TcpProxy } from '../helpers/tcp-proxy.js';
import { startTestApp, type TestApp } from '../helpers/test-app.js';
import { siblingConfig } from '../helpers/test-config.js';

const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

let relay: TcpProxy;
let a: TestApp;
let b: App;
let bUrl: string;
let employeeId: number;
const clients: Client[] = [];
const crashes: unknown[] = [];
const onCrash = (error: unknown): void => void crashes.push(error);

/** Every event a subscriber of instance B receives, by full name. */
function subscribeOnB(): { names: string[] } {
  const client = createClient({
    url: `${bUrl.replace('http', 'ws')}/graphql`,
    webSocketImpl: WebSocket,
    connectionParams: { authorization: `Bearer ${a.adminKey}` },
    retryAttempts: 0,
  });
  clients.push(client);
  const seen = { names: [] as string[] };
  client.subscribe<EmployeeChangedSubscription>(
    { query: print(EmployeeChangedDocument), variables: { employeeId } },
    {
      next: (r) => void seen.names.push(r.data?.employeeChanged.employee?.fullName ?? '?'),
      error: () => undefined,
      complete: () => undefined,
    },
  );
  return seen;
}

async function renameThroughA(fullName: string): Promise<number> {
  const started = performance.now();
  const res = await a.rest('PUT', `/api/v1/employees/${employeeId}`, { body: { full_name: fullName } });
  expect(res.status).toBe(200);
  return performance.now() - started;
}

/** Renames through A until B's subscriber hears one of them (bounded). */
async function untilDelivered(seen: { names: string[] }, label: string, timeoutMs = 15_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  for (let i = 0; Date.now() < until; i += 1) {
    await renameThroughA(`${label} ${i}`);
    await new Promise((r) => setTimeout(r, 100));
    if (seen.names.some((n) => n.startsWith(`${label} `))) {
      return;
    }
  }
  throw new Error(`no event "${label}" reached instance B within ${timeoutMs} ms`);
}

beforeAll(async () => {
  process.on('unhandledRejection', onCrash);
  process.on('uncaughtException', onCrash);
  relay = await startTcpProxy({ port: Number(new URL(REDIS_URL).port || 6379), host: new URL(REDIS_URL).hostname });
  const redisUrl = relay.urlFor(REDIS_URL);
  a = await startTestApp({ env: { REDIS_URL: redisUrl }, overrides: { faceEngine: null } });
  b = await buildApp(siblingConfig(a.config, { REDIS_URL: redisUrl }), { prisma: a.db.prisma, faceEngine: null });
  bUrl = (await b.start()).url;
  employeeId = (await makeEmployee(a.db.prisma)).id;
});

afterAll(async () => {
  for (const c of clients) {
    void c.dispose();
  }
  await b?.stop();
  await a?.stop();
  await relay?.close();
  process.off('unhandledRejection', onCrash);
  process.off('uncaughtException', onCrash);
});

describe('Redis outage', () => {
  it('delivers across instances through the relay before any outage', async () => {
    expect(a.app.deps.eventBusKind).toBe('redis');
    await untilDelivered(subscribeOnB(), 'before');
  });

  for (const mode of CUT_MODES) {
    it(`${mode}: loses events but not the process, then resumes (old and new subscriptions)`, async () => {
      const existing = subscribeOnB();
      await untilDelivered(existing, `warmup-${mode}`);
      await relay.cut(mode);
      // Requests are not held up by a Redis that is gone; publishing must not throw or reject unhandled.
      const took: number[] = [];
      for (let i = 0; i < 10; i += 1) {
        took.push(await renameThroughA(`during-${mode} ${i}`));
      }
      const during = subscribeOnB();
      await new Promise((r) => setTimeout(r, 1500));
      expect(Math.max(...took)).toBeLessThan(1000);
      expect(crashes).toEqual([]);
      await relay.restore();
      await untilDelivered(existing, `after-${mode}`);
      await untilDelivered(during, `after2-${mode}`);
      expect(crashes).toEqual([]);
    }, 60_000);
  }
});
