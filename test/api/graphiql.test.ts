// GraphiQL comes from this server alone (networks without a CDN): with
// GRAPHIQL=true the page and everything it loads answer from the server and
// nothing references another host except plain <a> links a user may click;
// in production without GRAPHIQL there is no page and no bundle.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/config.js';
import { GRAPHIQL_ASSETS_PATH } from '../../src/http/graphiql.js';
import { startTestApp } from '../helpers/test-app.js';
import type { TestApp } from '../helpers/test-app.js';

/** Every place a page, a stylesheet or a script names a resource, as [value, index in text]. */
const REFERENCE_PATTERNS = [
  /\b(?:src|href|action|poster|srcset)\s*=\s*\\?["']([^"'\\]*)/g, // HTML attributes, also inside script strings
  /\b(?:src|href|url)\s*:\s*\\?["'`]([^"'`\\]*)/g, // JSX / object props
  /\burl\(\s*\\?["']?([^"')\\]*)/g, // CSS url()
  /@import\s+\\?["']([^"'\\]*)/g, // CSS @import
  /\b(?:fetch|importScripts|import|Worker|SharedWorker|EventSource|WebSocket)\(\s*\\?["'`]([^"'`\\]*)/g,
];

function references(text: string): { value: string; index: number }[] {
  return REFERENCE_PATTERNS.flatMap((pattern) => [...text.matchAll(pattern)].map((m) => ({ value: m[1] ?? '', index: m.index })));
}

/** The host a reference loads from, or null when it stays on the page's own origin (relative, data:, blob:, #). */
function foreignHost(value: string, origin: string): string | null {
  // A bare scheme ("http://" + something) is string building, not a reference.
  if (/^[a-z][\w+.-]*:\/\/$/i.test(value) || value.includes('${')) {
    return null;
  }
  let url: URL;
  try {
    url = new URL(value, origin);
  } catch {
    return null;
  }
  if (url.protocol === 'data:' || url.protocol === 'blob:' || url.protocol === 'about:' || url.protocol === 'command:') {
    return null;
  }
  return url.origin === origin ? null : url.host;
}

/** A hyperlink the user may follow (an <a> element, in HTML or as JSX), which loads nothing by itself. */
function isAnchorLink(text: string, index: number): boolean {
  const before = text.slice(Math.max(0, index - 200), index);
  return /(?:jsxs?|createElement)\(\s*\\?["']a\\?["']\s*,\s*\{[^{}]*$/.test(before) || /<a\s[^<>]*$/.test(before);
}

function loadedFromElsewhere(text: string, origin: string): string[] {
  return references(text)
    .filter((r) => foreignHost(r.value, origin) !== null && !isAnchorLink(text, r.index))
    .map((r) => r.value);
}

describe('GraphiQL with GRAPHIQL=true', () => {
  let t: TestApp;
  let page: { status: number; type: string; html: string };

  beforeAll(async () => {
    t = await startTestApp({ env: { GRAPHIQL: 'true' }, overrides: { faceEngine: null } });
    const res = await fetch(`${t.url}/graphql`, { headers: { accept: 'text/html' } });
    page = { status: res.status, type: res.headers.get('content-type') ?? '', html: await res.text() };
  });
  afterAll(async () => {
    await t?.stop();
  });

  it('serves the page at GET /graphql for a browser', () => {
    expect(page.status).toBe(200);
    expect(page.type).toContain('text/html');
    expect(page.html).toContain('YogaGraphiQL.renderYogaGraphiQL');
    expect(page.html).toContain('<title>Face attendance</title>');
  });

  it('references no other host, in the page, its inline scripts and every asset it loads', async () => {
    const origin = new URL(t.url).origin;
    const fromPage = references(page.html).map((r) => r.value);
    const local = fromPage.filter((v) => foreignHost(v, origin) === null && !v.startsWith('#') && !v.startsWith('data:'));
    expect(local.sort()).toEqual([`${GRAPHIQL_ASSETS_PATH}/favicon.ico`, `${GRAPHIQL_ASSETS_PATH}/graphiql.css`, `${GRAPHIQL_ASSETS_PATH}/graphiql.js`]);
    expect(loadedFromElsewhere(page.html, origin)).toEqual([]);

    for (const path of local) {
      const res = await fetch(new URL(path, origin));
      expect(res.status, path).toBe(200);
      expect(res.headers.get('cache-control'), path).toContain('immutable');
      const body = Buffer.from(await res.arrayBuffer());
      expect(body.length, path).toBeGreaterThan(1000);
      if (!path.endsWith('.ico')) {
        const text = body.toString('utf8');
        // The bundle holds links to GraphiQL's and VS Code's sites, all <a> elements: the check must see them.
        if (path.endsWith('.js')) {
          expect(references(text).some((r) => foreignHost(r.value, origin) === 'github.com')).toBe(true);
        }
        expect(loadedFromElsewhere(text, origin), path).toEqual([]);
      }
    }
  });

  it('catches a script or stylesheet from elsewhere (the check itself)', () => {
    const origin = 'http://127.0.0.1:1';
    expect(loadedFromElsewhere('<script src="https://unpkg.com/graphiql.js"></script>', origin)).toEqual(['https://unpkg.com/graphiql.js']);
    expect(loadedFromElsewhere('a{background:url(//cdn.example/x.png)}', origin)).toEqual(['//cdn.example/x.png']);
    expect(loadedFromElsewhere('r.jsx("img",{src:"https://x.example/i.png"})', origin)).toEqual(['https://x.example/i.png']);
    expect(loadedFromElsewhere('r.jsx("a",{href:"https://x.example/docs",target:"_blank"})', origin)).toEqual([]);
    expect(loadedFromElsewhere('<link rel="stylesheet" href="/graphiql/x.css">', origin)).toEqual([]);
  });

  it('answers 404 for a file the bundle does not have', async () => {
    const res = await fetch(`${t.url}${GRAPHIQL_ASSETS_PATH}/secrets.txt`);
    expect(res.status).toBe(404);
  });
});

describe('production without GRAPHIQL', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await startTestApp({ env: { NODE_ENV: 'production' }, overrides: { faceEngine: null } });
  });
  afterAll(async () => {
    await t?.stop();
  });

  it('serves no GraphiQL page and no bundle', async () => {
    expect(t.config.GRAPHIQL).toBe(false);
    const res = await fetch(`${t.url}/graphql`, { headers: { accept: 'text/html' } });
    const body = await res.text();
    expect(res.headers.get('content-type') ?? '').not.toContain('text/html');
    expect(body).not.toMatch(/graphiql/i);
    const asset = await fetch(`${t.url}${GRAPHIQL_ASSETS_PATH}/graphiql.js`);
    expect(asset.status).toBe(404);
  });

  it('still answers GraphQL itself', async () => {
    const res = await fetch(`${t.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: '{ health { status } }' }),
    });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ data: { health: { status: 'healthy' } } });
  });
});

describe('GRAPHIQL setting', () => {
  const base = { DATABASE_URL: 'mysql://root@127.0.0.1:3306/x', SECRET_KEY: 'x'.repeat(16), TEMPLATE_ENCRYPTION_KEY: 'a'.repeat(64) };
  const graphiql = (env: Record<string, string>): boolean | string => {
    const r = parseConfig({ ...base, ...env });
    return r.ok ? r.config.GRAPHIQL : r.problems.join('; ');
  };

  it('is on in development and off elsewhere unless set', () => {
    expect(graphiql({ NODE_ENV: 'development' })).toBe(true);
    expect(graphiql({ NODE_ENV: 'development', GRAPHIQL: '' })).toBe(true);
    expect(graphiql({ NODE_ENV: 'production' })).toBe(false);
    expect(graphiql({ NODE_ENV: 'test' })).toBe(false);
    expect(graphiql({ NODE_ENV: 'production', GRAPHIQL: 'true' })).toBe(true);
    expect(graphiql({ NODE_ENV: 'development', GRAPHIQL: 'false' })).toBe(false);
    expect(graphiql({ GRAPHIQL: 'maybe' })).toMatch(/^GRAPHIQL: /);
  });
});
