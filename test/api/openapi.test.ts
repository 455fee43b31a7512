// The OpenAPI document lists exactly the REST routes the server has, and the
// docs pages (Swagger UI, ReDoc) are served from npm packages, not a CDN.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp } from '../helpers/test-app.js';
import type { TestApp } from '../helpers/test-app.js';

interface OpenApiDocument {
  openapi: string;
  paths: Record<string, Record<string, { security?: unknown[]; responses: Record<string, unknown> }>>;
}

let t: TestApp;
let doc: OpenApiDocument;

beforeAll(async () => {
  t = await startTestApp();
  doc = (await t.rest<OpenApiDocument>('GET', '/openapi.json', { key: null })).body;
});
afterAll(async () => {
  await t?.stop();
});

// fastify writes /employees/:id, OpenAPI /employees/{id}.
const toOpenApiPath = (url: string): string => url.replace(/:(\w+)/g, '{$1}');

describe('OpenAPI', () => {
  it('documents every /api/v1 route, and nothing else', () => {
    expect(doc.openapi).toMatch(/^3\./);
    const registered = t.app
      .routes()
      .filter((r) => r.split(' ')[1]?.startsWith('/api/v1/') === true)
      .map((r) => {
        const [method = '', url = ''] = r.split(' ');
        return `${method} ${toOpenApiPath(url)}`;
      })
      .sort();
    const documented = Object.entries(doc.paths)
      .flatMap(([path, ops]) => Object.keys(ops).map((method) => `${method.toUpperCase()} ${path}`))
      .sort();
    expect(registered.length).toBeGreaterThan(10);
    expect(documented).toEqual(registered);
  });

  it('marks every route but the health routes and the web sign-in/out as needing an API key', () => {
    // Sign-in takes the key in its body; sign-out must work with any session.
    const openPaths = ['/api/v1/system/health', '/api/v1/system/health/live', '/api/v1/system/health/ready', '/api/v1/auth/session'];
    for (const path of openPaths) {
      expect(doc.paths[path], path).toBeDefined();
    }
    for (const [path, ops] of Object.entries(doc.paths)) {
      for (const [method, op] of Object.entries(ops)) {
        const open = openPaths.includes(path);
        expect(op.security === undefined, `${method} ${path}`).toBe(open);
      }
    }
  });

  it('serves Swagger UI at /docs and ReDoc at /redoc from local assets', async () => {
    const swagger = await t.rest<string>('GET', '/docs/', { key: null });
    expect(swagger.status).toBe(200);
    expect(swagger.body).toContain('swagger-ui');
    expect(swagger.body).not.toMatch(/https?:\/\/(cdn|unpkg|cdnjs)/);

    const redoc = await t.rest<string>('GET', '/redoc', { key: null });
    expect(redoc.status).toBe(200);
    expect(redoc.body).toContain('spec-url="/openapi.json"');
    expect(redoc.body).not.toMatch(/src="https?:/);
    const bundle = await fetch(`${t.url}/redoc/redoc.standalone.js`);
    expect(bundle.status).toBe(200);
    expect((await bundle.text()).length).toBeGreaterThan(100_000);
  });
});
