// The web app's session: an API key exchanged for an HttpOnly, SameSite=Strict
// cookie that holds a signed session (not the key), accepted by REST, GraphQL
// over HTTP and graphql-ws, refused once forged, expired or its key revoked;
// sign-out clears it. Also: the app is served at / with client-side routes
// falling back to index.html, without shadowing the API, GraphQL or the docs.
import { print } from 'graphql';
import { createClient } from 'graphql-ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { MeDocument } from '../graphql/generated.js';
import { startTestApp, type TestApp } from '../helpers/test-app.js';

let t: TestApp;
let clockOffsetMs = 0;

beforeAll(async () => {
  t = await startTestApp({ overrides: { faceEngine: null, clock: () => new Date(Date.now() + clockOffsetMs) } });
});
afterAll(async () => {
  await t?.stop();
});

async function signIn(apiKey: string): Promise<{ status: number; cookie: string | undefined; setCookie: string; body: unknown }> {
  const response = await fetch(`${t.url}/api/v1/auth/session`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ api_key: apiKey }),
  });
  const setCookie = response.headers.get('set-cookie') ?? '';
  return { status: response.status, cookie: /^(fa_session=[^;]+)/.exec(setCookie)?.[1], setCookie, body: await response.json() };
}

const withCookie = (cookie: string, init: RequestInit = {}): RequestInit => ({ ...init, headers: { ...(init.headers as Record<string, string>), cookie } });

async function gqlMe(cookie: string): Promise<{ data?: { me: { role: string; apiKeyId: number } } | null; errors?: { extensions?: { code?: string } }[] }> {
  const response = await fetch(
    `${t.url}/graphql`,
    withCookie(cookie, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query: print(MeDocument) }) }),
  );
  return (await response.json()) as never;
}

describe('web session', () => {
  it('refuses a wrong key and sets no cookie', async () => {
    const res = await signIn('not-a-key-at-all');
    expect(res.status).toBe(401);
    expect(res.setCookie).toBe('');
    const empty = await signIn('');
    expect(empty.status).toBe(422);
  });

  it('exchanges a key for an HttpOnly SameSite=Strict cookie that is not the key', async () => {
    const res = await signIn(t.adminKey);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ role: 'admin' });
    expect((res.body as { permissions: string[] }).permissions).toContain('api-keys:manage');
    expect(res.setCookie).toMatch(/HttpOnly/i);
    expect(res.setCookie).toMatch(/SameSite=Strict/i);
    expect(res.setCookie).toMatch(/Path=\//);
    // Plain http here: Secure would stop the browser from sending it back.
    expect(res.setCookie).not.toMatch(/Secure/i);
    expect(res.cookie).toBeDefined();
    expect(res.setCookie).not.toContain(t.adminKey);
  });

  it('is accepted by REST, GraphQL over HTTP and graphql-ws as the key its caller', async () => {
    const { cookie } = await signIn(t.adminKey);
    const me = await fetch(`${t.url}/api/v1/auth/me`, withCookie(cookie!));
    expect(me.status).toBe(200);
    expect(await me.json()).toMatchObject({ role: 'admin' });

    expect((await gqlMe(cookie!)).data?.me.role).toBe('admin');

    const client = createClient({
      url: `${t.url.replace('http', 'ws')}/graphql`,
      webSocketImpl: class extends WebSocket {
        constructor(url: string, protocols?: string | string[]) {
          super(url, protocols, { headers: { cookie: cookie! } });
        }
      },
      retryAttempts: 0,
    });
    try {
      const result = await new Promise<unknown>((resolve, reject) => {
        let value: unknown;
        client.subscribe({ query: print(MeDocument) }, { next: (m) => (value = m.data), error: reject, complete: () => resolve(value) });
      });
      expect(result).toMatchObject({ me: { role: 'admin' } });
    } finally {
      await client.dispose();
    }
  });

  it('gives a kiosk key a kiosk session, with the kiosk role limits', async () => {
    const kioskKey = await t.createKey('kiosk');
    const { cookie } = await signIn(kioskKey);
    expect((await gqlMe(cookie!)).data?.me.role).toBe('kiosk');
    const employees = await fetch(`${t.url}/api/v1/employees`, withCookie(cookie!));
    expect(employees.status).toBe(403);
  });

  it('refuses a tampered or unknown cookie', async () => {
    const { cookie } = await signIn(t.adminKey);
    const [name, value] = cookie!.split('=') as [string, string];
    // Another key id under the same signature.
    const forged = `${name}=${value.replace(/^\d+/, '999')}`;
    expect((await fetch(`${t.url}/api/v1/auth/me`, withCookie(forged))).status).toBe(401);
    expect((await fetch(`${t.url}/api/v1/auth/me`, withCookie('fa_session=garbage'))).status).toBe(401);
    expect((await gqlMe(forged)).errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    // No cookie at all: as without a key.
    expect((await fetch(`${t.url}/api/v1/auth/me`)).status).toBe(401);
  });

  it('stops working when its key is revoked', async () => {
    const key = await t.createKey('operator');
    const { cookie } = await signIn(key);
    const me = (await (await fetch(`${t.url}/api/v1/auth/me`, withCookie(cookie!))).json()) as { api_key_id: number };
    expect((await fetch(`${t.url}/api/v1/auth/me`, withCookie(cookie!))).status).toBe(200);
    const revoked = await t.rest('DELETE', `/api/v1/auth/keys/${me.api_key_id}`);
    expect(revoked.status).toBe(200);
    expect((await fetch(`${t.url}/api/v1/auth/me`, withCookie(cookie!))).status).toBe(401);
    expect((await gqlMe(cookie!)).errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
  });

  it('expires', async () => {
    const { cookie } = await signIn(t.adminKey);
    clockOffsetMs = 13 * 60 * 60 * 1000;
    try {
      expect((await fetch(`${t.url}/api/v1/auth/me`, withCookie(cookie!))).status).toBe(401);
    } finally {
      clockOffsetMs = 0;
    }
    expect((await fetch(`${t.url}/api/v1/auth/me`, withCookie(cookie!))).status).toBe(200);
  });

  it('opens the camera preview WebSocket only for a session or key that may read cameras', async () => {
    const closeCode = (query: string, headers: Record<string, string> = {}): Promise<number> =>
      new Promise((resolve, reject) => {
        const ws = new WebSocket(`${t.url.replace('http', 'ws')}/api/v1/cameras/ws/preview?${query}`, { headers });
        ws.on('close', (code) => resolve(code));
        ws.on('error', reject);
      });
    const admin = (await signIn(t.adminKey)).cookie!;
    const kiosk = (await signIn(await t.createKey('kiosk'))).cookie!;
    expect(await closeCode('camera_id=1')).toBe(4401);
    expect(await closeCode('camera_id=1', { cookie: 'fa_session=forged' })).toBe(4401);
    expect(await closeCode('camera_id=1', { cookie: kiosk })).toBe(4403);
    expect(await closeCode('camera_id=abc', { cookie: admin })).toBe(4422);
    expect(await closeCode('camera_id=4242', { cookie: admin })).toBe(4404);
    expect(await closeCode(`camera_id=4242&api_key=${t.adminKey}`)).toBe(4404);
  });

  it('signs out by clearing the cookie', async () => {
    const response = await fetch(`${t.url}/api/v1/auth/session`, { method: 'DELETE' });
    expect(response.status).toBe(204);
    const setCookie = response.headers.get('set-cookie') ?? '';
    expect(setCookie).toMatch(/^fa_session=;/);
    expect(setCookie).toMatch(/Max-Age=0/i);
  });
});

describe('web app files', () => {
  it('serves the app at / and its client-side routes, with a CSP that allows only this origin', async () => {
    for (const path of ['/', '/live', '/attendance', '/employees/12']) {
      const response = await fetch(`${t.url}${path}`);
      expect(response.status, path).toBe(200);
      expect(response.headers.get('content-type')).toMatch(/text\/html/);
      expect(response.headers.get('cache-control')).toBe('no-cache');
      expect(response.headers.get('content-security-policy')).toContain("default-src 'self'");
      const html = await response.text();
      expect(html).toContain('<div id="root">');
      expect(html).not.toMatch(/(src|href)="https?:/);
    }
  });

  it('serves hashed assets with a long cache, and 404s a missing file', async () => {
    const html = await (await fetch(`${t.url}/`)).text();
    const script = /src="(\/assets\/[^"]+\.js)"/.exec(html)?.[1];
    expect(script).toBeDefined();
    const asset = await fetch(`${t.url}${script}`);
    expect(asset.status).toBe(200);
    expect(asset.headers.get('content-type')).toMatch(/javascript/);
    expect(asset.headers.get('cache-control')).toMatch(/immutable/);
    expect((await fetch(`${t.url}/assets/nope-123.js`)).status).toBe(404);
    expect((await fetch(`${t.url}/favicon.svg`)).status).toBe(200);
  });

  it('does not shadow the API, GraphQL or the docs', async () => {
    const unknownApi = await fetch(`${t.url}/api/v1/no-such-route`);
    expect(unknownApi.status).toBe(404);
    expect(await unknownApi.json()).toEqual({ detail: 'Not Found' });
    expect((await fetch(`${t.url}/api/anything`)).status).toBe(404);
    expect((await fetch(`${t.url}/openapi.json`)).headers.get('content-type')).toMatch(/json/);
    expect((await fetch(`${t.url}/docs/`)).status).toBe(200);
    expect((await fetch(`${t.url}/redoc`)).status).toBe(200);
    const graphql = await fetch(`${t.url}/graphql?query=${encodeURIComponent('{ health { status } }')}`);
    expect(graphql.headers.get('content-type')).toMatch(/json/);
  });
});
