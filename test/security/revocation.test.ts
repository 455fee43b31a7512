// Item 4 of the trust issue: revoking a key ends what it holds open, at once
// and on every instance. A viewer key opens a graphql-ws subscription, an SSE
// subscription and the old WebSocket stream; the admin revokes it; all three
// close within 2 s, and no further event reaches them. A second instance
// (sharing the database and Redis) closes its own connections of that key and
// stops honouring its cached lookup. Bad revocations change nothing.
import { createClient } from 'graphql-ws';
import WebSocket from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp, type App } from '../../src/app.js';
import { makeEmployee } from '../helpers/factories.js';
import type { TestApp } from '../helpers/test-app.js';
import { siblingConfig } from '../helpers/test-config.js';
import { databaseFingerprint, startProductionApp } from './fixture.js';

const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
const SUBSCRIPTION = 'subscription { employeeChanged { employeeId kind } }';

let t: TestApp;
let b: App;
let bUrl: string;

beforeAll(async () => {
  t = await startProductionApp({ overrides: { faceEngine: null }, env: { REDIS_URL } });
  b = await buildApp(siblingConfig(t.config), { prisma: t.db.prisma, faceEngine: null });
  bUrl = (await b.start()).url;
}, 60_000);
afterAll(async () => {
  await b?.stop();
  await t?.stop();
});

async function newKey(role = 'viewer'): Promise<{ id: number; key: string }> {
  const res = await t.rest<{ id: number; key: string }>('POST', '/api/v1/auth/keys', { body: { name: `probe ${role}`, role } });
  expect(res.status).toBe(201);
  return res.body;
}

const revoke = (id: number) => t.rest('DELETE', `/api/v1/auth/keys/${id}`);

/** graphql-ws subscriber: resolves with the close code once the server closes the socket. */
function openGraphQlWs(url: string, key: string): { closed: Promise<number>; events: unknown[]; ready: Promise<void> } {
  const events: unknown[] = [];
  let markReady!: () => void;
  const ready = new Promise<void>((resolve) => (markReady = resolve));
  const closed = new Promise<number>((resolve) => {
    const client = createClient({
      url: `${url.replace('http', 'ws')}/graphql`,
      webSocketImpl: WebSocket,
      connectionParams: { authorization: `Bearer ${key}` },
      retryAttempts: 0,
      // The server closes these sockets; a closed client needs no dispose.
      onNonLazyError: () => undefined,
      on: {
        connected: () => markReady(),
        closed: (event) => {
          resolve((event as { code: number }).code);
        },
      },
    });
    client.subscribe({ query: SUBSCRIPTION }, { next: (v) => events.push(v), error: () => undefined, complete: () => undefined });
  });
  return { closed, events, ready };
}

/** SSE subscriber: resolves when the stream ends (done or error). */
async function openSse(url: string, key: string): Promise<{ ended: Promise<void>; events: string[] }> {
  const response = await fetch(`${url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'text/event-stream', authorization: `Bearer ${key}` },
    body: JSON.stringify({ query: SUBSCRIPTION }),
  });
  expect(response.status).toBe(200);
  const reader = response.body!.getReader();
  const events: string[] = [];
  const ended = (async () => {
    try {
      for (;;) {
        const chunk = await reader.read();
        if (chunk.done) {
          return;
        }
        const text = new TextDecoder().decode(chunk.value);
        if (text.includes('event: next')) {
          events.push(text);
        }
      }
    } catch {
      // a cut connection ends the stream too
    }
  })();
  return { ended, events };
}

/** The old stream: resolves with the close code. */
async function openLegacy(url: string, key: string): Promise<{ closed: Promise<number> }> {
  const socket = new WebSocket(`${url.replace('http', 'ws')}/api/v1/recognition/ws/stream?api_key=${encodeURIComponent(key)}`);
  await new Promise<void>((resolve, reject) => {
    socket.once('message', () => resolve()); // {"type":"connected"}
    socket.once('error', reject);
  });
  return { closed: new Promise<number>((resolve) => socket.once('close', (code) => resolve(code))) };
}

const within = <T>(promise: Promise<T>, ms: number, what: string): Promise<T> =>
  Promise.race([promise, new Promise<T>((_, reject) => setTimeout(() => reject(new Error(`${what} still open after ${ms} ms`)), ms))]);

describe('revoking a key closes its connections within 2 s', () => {
  it('graphql-ws, SSE and the old WebSocket, on this instance; no event after', async () => {
    const { id, key } = await newKey();
    const gql = openGraphQlWs(t.url, key);
    await gql.ready;
    const sse = await openSse(t.url, key);
    const legacy = await openLegacy(t.url, key);
    await new Promise((r) => setTimeout(r, 200)); // subscriptions registered
    const revokedAt = performance.now();
    expect((await revoke(id)).status).toBe(200);
    const [wsCode, , legacyCode] = await Promise.all([
      within(gql.closed, 2000, 'graphql-ws'),
      within(sse.ended, 2000, 'SSE'),
      within(legacy.closed, 2000, 'old WebSocket'),
    ]);
    expect(performance.now() - revokedAt).toBeLessThan(2000);
    expect(wsCode).toBe(4403);
    expect(legacyCode).toBe(1008);
    // An employee event now reaches none of them.
    await t.rest('POST', '/api/v1/employees', { body: { employee_code: 'AFTER-REVOKE', full_name: 'After Revoke' } });
    await new Promise((r) => setTimeout(r, 300));
    expect(gql.events).toEqual([]);
    expect(sse.events).toEqual([]);
    expect(t.app.revocations.tracked(id)).toBe(0);
  });

  it('on another instance (event bus over Redis): its connections close and its cached lookup is dropped', async () => {
    const { id, key } = await newKey();
    // Instance B authenticates (and caches) the key, and holds two connections of it.
    expect((await fetch(`${bUrl}/api/v1/auth/me`, { headers: { authorization: `Bearer ${key}` } })).status).toBe(200);
    const gql = openGraphQlWs(bUrl, key);
    await gql.ready;
    const legacy = await openLegacy(bUrl, key);
    await new Promise((r) => setTimeout(r, 200));
    expect((await revoke(id)).status).toBe(200); // on instance A
    expect(await within(gql.closed, 2000, 'graphql-ws on B')).toBe(4403);
    expect(await within(legacy.closed, 2000, 'old WebSocket on B')).toBe(1008);
    // B's 30 s auth cache no longer answers for it.
    expect((await fetch(`${bUrl}/api/v1/auth/me`, { headers: { authorization: `Bearer ${key}` } })).status).toBe(401);
  });

  it('a revoked key cannot open a new connection of any kind', async () => {
    const { id, key } = await newKey();
    await revoke(id);
    const gql = openGraphQlWs(t.url, key);
    expect(await within(gql.closed, 2000, 'graphql-ws')).toBe(4403);
    const socket = new WebSocket(`${t.url.replace('http', 'ws')}/api/v1/recognition/ws/stream?api_key=${encodeURIComponent(key)}`);
    expect(await within(new Promise<number>((resolve) => socket.once('close', (code) => resolve(code))), 2000, 'old stream')).toBe(1008);
    const sse = await fetch(`${t.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'text/event-stream', authorization: `Bearer ${key}` },
      body: JSON.stringify({ query: SUBSCRIPTION }),
    });
    expect(sse.status).toBe(401);
  });
});

describe('bad revocations change nothing', () => {
  it.each([
    ['an unknown key id', 'admin', '/api/v1/auth/keys/999999', 404],
    ['a non-numeric id', 'admin', '/api/v1/auth/keys/abc', 422],
    ['a viewer revoking', 'viewer', '/api/v1/auth/keys/1', 403],
    ['an operator revoking', 'operator', '/api/v1/auth/keys/1', 403],
  ])('%s', async (_what, role, route, status) => {
    const caller = role === 'admin' ? t.adminKey : (await newKey(role)).key;
    const fingerprint = await databaseFingerprint(t.db.prisma);
    const res = await t.rest('DELETE', route, { key: caller });
    expect(res.status).toBe(status);
    expect(await databaseFingerprint(t.db.prisma)).toEqual(fingerprint);
  });

  it('without a key: 401, nothing changed', async () => {
    const fingerprint = await databaseFingerprint(t.db.prisma);
    expect((await t.rest('DELETE', '/api/v1/auth/keys/1', { key: null })).status).toBe(401);
    expect(await databaseFingerprint(t.db.prisma)).toEqual(fingerprint);
  });

  it('a connection of another key stays open', async () => {
    const keep = await newKey();
    const gone = await newKey();
    const gql = openGraphQlWs(t.url, keep.key);
    await gql.ready;
    await revoke(gone.id);
    const result = await Promise.race([gql.closed.then(() => 'closed'), new Promise((r) => setTimeout(() => r('open'), 500))]);
    expect(result).toBe('open');
    const employee = await makeEmployee(t.db.prisma);
    expect(employee.id).toBeGreaterThan(0);
  });
});
