// REDIS_PREFIX namespaces the event bus, and every instance has its own id:
// two instances under one prefix share events; a third under another prefix
// on the same Redis and database hears nothing of them. A fourth under the
// first prefix but with a DATA_DIR of its own is named as not sharing it.
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp, type App } from '../../src/app.js';
import { parseConfig } from '../../src/config.js';
import type { EmployeeChangedEvent } from '../../src/employees/events.js';
import { makeEmployee } from '../helpers/factories.js';
import { startTestApp, type TestApp } from '../helpers/test-app.js';
import { SystemInfoDocument } from '../graphql/generated.js';
import { REDIS_URL } from './harness/cluster-env.js';

const prefix = `fa-test-ns-${randomBytes(4).toString('hex')}`;
const otherPrefix = `${prefix}-other`;
let a: TestApp;
let b: App;
let c: App;
let d: App;
let otherDataDir: string;
const redis = new Redis(REDIS_URL);

async function sibling(t: TestApp, env: Record<string, string>): Promise<App> {
  const values = Object.fromEntries(Object.entries(t.config).flatMap(([k, v]) => (v === undefined ? [] : [[k, String(v)]])));
  const parsed = parseConfig({ ...values, ...env });
  if (!parsed.ok) {
    throw new Error(parsed.problems.join('; '));
  }
  const app = await buildApp(parsed.config, { prisma: t.db.prisma, faceEngine: null });
  await app.start();
  return app;
}

beforeAll(async () => {
  a = await startTestApp({ env: { REDIS_URL, REDIS_PREFIX: prefix }, overrides: { faceEngine: null } });
  b = await sibling(a, { REDIS_PREFIX: prefix });
  c = await sibling(a, { REDIS_PREFIX: otherPrefix });
  otherDataDir = await mkdtemp(path.join(tmpdir(), 'fa-other-data-'));
  d = await sibling(a, { REDIS_PREFIX: prefix, DATA_DIR: otherDataDir });
}, 60_000);
afterAll(async () => {
  await d?.stop();
  await rm(otherDataDir, { recursive: true, force: true });
  await c?.stop();
  await b?.stop();
  await a?.stop();
  redis.disconnect();
});

/** The next event of a topic on an app's bus (or undefined after `ms`). */
function nextEvent(app: App, ms: number): Promise<EmployeeChangedEvent | undefined> {
  const iterator = app.deps.pubsub.subscribe('employeeChanged')[Symbol.asyncIterator]();
  const timer = new Promise<undefined>((resolve) => setTimeout(resolve, ms));
  return Promise.race([iterator.next().then((r) => (r.done ? undefined : r.value)), timer]).finally(() => void iterator.return?.());
}

describe('REDIS_PREFIX', () => {
  it('puts the event channels under the prefix: same prefix shares events, another prefix hears none', async () => {
    const employee = await makeEmployee(a.db.prisma);
    const onB = nextEvent(b, 10_000);
    const onC = nextEvent(c, 3_000);
    // The subscriptions are in place once Redis lists their prefixed channels.
    for (let i = 0; i < 100; i++) {
      const channels = await redis.pubsub('CHANNELS', `${prefix}*`);
      const others = await redis.pubsub('CHANNELS', `${otherPrefix}:*`);
      if (channels.includes(`${prefix}:employeeChanged`) && others.includes(`${otherPrefix}:employeeChanged`)) {
        break;
      }
      await new Promise((r) => setTimeout(r, 50));
    }
    expect(await redis.pubsub('CHANNELS', `${prefix}:employeeChanged`)).toEqual([`${prefix}:employeeChanged`]);
    await a.rest('PUT', `/api/v1/employees/${employee.id}`, { body: { full_name: 'Renamed Through A' } });
    expect(await onB).toMatchObject({ kind: 'updated', employeeId: employee.id });
    expect(await onC).toBeUndefined();
  });
});

describe('instance id', () => {
  it('is in system info (REST and GraphQL), stable per instance and different between instances', async () => {
    const rest1 = await a.rest<{ instance_id: string; face_engine: unknown }>('GET', '/api/v1/system/info');
    const rest2 = await a.rest<{ instance_id: string }>('GET', '/api/v1/system/info');
    expect(rest1.status).toBe(200);
    expect(rest1.body.instance_id).toMatch(/^[A-Za-z0-9-]+-\d+-[0-9a-f]{6}$/);
    expect(rest2.body.instance_id).toBe(rest1.body.instance_id);
    expect(rest1.body.face_engine).toBeNull();
    const gql = await a.gql(SystemInfoDocument, {});
    expect(gql.data?.systemInfo.instanceId).toBe(rest1.body.instance_id);
    expect(b.deps.instanceId).not.toBe(a.app.deps.instanceId);
    expect(rest1.body.instance_id).toBe(a.app.deps.instanceId);
  });
});

describe('DATA_DIR across instances', () => {
  it('system info names the live instances that write to another DATA_DIR (REST and GraphQL)', async () => {
    interface InfoJson {
      data_dir: { shared_with: string[]; not_shared_with: string[] } | null;
    }
    const onA = await a.rest<InfoJson>('GET', '/api/v1/system/info');
    expect(onA.body.data_dir).toEqual({ shared_with: [b.deps.instanceId], not_shared_with: [d.deps.instanceId] });
    const onD = await d.services.system.info();
    expect(onD.dataDir).toEqual({ sharedWith: [], notSharedWith: [a.app.deps.instanceId, b.deps.instanceId].sort() });
    const gql = await a.gql(SystemInfoDocument, {});
    expect(gql.data?.systemInfo.dataDirNotSharedWith).toEqual([d.deps.instanceId]);
    // Once d stops, nobody is left out.
    await d.stop();
    const after = await a.rest<InfoJson>('GET', '/api/v1/system/info');
    expect(after.body.data_dir).toEqual({ shared_with: [b.deps.instanceId], not_shared_with: [] });
  });
});
