// stop() is the graceful-shutdown path: open WebSockets are closed (1001),
// the port is released, stop() is idempotent. Routes under /api/v1 must
// declare their auth, and unknown WebSocket paths are refused.
import Fastify from 'fastify';
import WebSocket from 'ws';
import { describe, expect, it } from 'vitest';
import { startTestApp } from '../helpers/test-app.js';
import { installRouteAuth } from '../../src/http/route-auth.js';
import type { Authenticator } from '../../src/auth/authenticator.js';

function openSocket(url: string): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, 'graphql-transport-ws');
    ws.once('open', () => resolve(ws));
    ws.once('error', reject);
  });
}

describe('app lifecycle', () => {
  it('stop() closes WebSockets with 1001, releases the port and can be called twice', async () => {
    const t = await startTestApp();
    const ws = await openSocket(`${t.url.replace('http', 'ws')}/graphql`);
    const closed = new Promise<number>((resolve) => ws.once('close', (code) => resolve(code)));
    expect(t.app.websockets.connectionCount()).toBe(1);

    const started = Date.now();
    await t.app.stop();
    await t.app.stop();
    expect(await closed).toBe(1001);
    expect(Date.now() - started).toBeLessThan(5_000);
    await expect(fetch(`${t.url}/api/v1/system/health`)).rejects.toThrow();
    await t.stop();
  });

  it('refuses WebSocket upgrades on unknown paths', async () => {
    const t = await startTestApp();
    try {
      await expect(openSocket(`${t.url.replace('http', 'ws')}/nope`)).rejects.toThrow(/404/);
    } finally {
      await t.stop();
    }
  });

  it('refuses to start with an /api/v1 route that does not declare config.auth', async () => {
    const app = Fastify();
    const authenticator: Authenticator = { authenticate: () => Promise.resolve(null), evict: () => undefined, close: () => undefined };
    installRouteAuth(app, authenticator);
    expect(() => app.get('/api/v1/forgotten', () => 'open by accident')).toThrow(/must declare config.auth/);
    await app.close();
  });
});
