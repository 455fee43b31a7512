// Transport-level failures answer like the replaced FastAPI service:
// 413 oversize, 400 malformed JSON, 422 invalid input, 404 unknown route,
// always as `{ "detail": ... }`, and the server keeps serving afterwards.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp } from '../helpers/test-app.js';
import type { TestApp } from '../helpers/test-app.js';

const BODY_LIMIT = 4096;
let t: TestApp;

beforeAll(async () => {
  t = await startTestApp({ env: { BODY_LIMIT_BYTES: String(BODY_LIMIT) } });
});
afterAll(async () => {
  await t?.stop();
});

describe('HTTP errors', () => {
  it('413 for a body over BODY_LIMIT_BYTES, on REST and on /graphql', async () => {
    const big = { employee_code: 'BIG-1', full_name: 'x'.repeat(BODY_LIMIT * 2) };
    const rest = await t.rest<{ detail: string }>('POST', '/api/v1/employees', { body: big });
    expect(rest.status).toBe(413);
    expect(rest.body).toEqual({ detail: 'Request body too large' });
    const gql = await t.rest<{ errors: { extensions: { code: string } }[] }>('POST', '/graphql', {
      body: { query: `{ health { status } } # ${'x'.repeat(BODY_LIMIT * 2)}` },
    });
    expect(gql.status).toBe(413);
    expect(gql.body.errors[0]?.extensions.code).toBe('PAYLOAD_TOO_LARGE');
    expect(await t.db.prisma.employee.count({ where: { employeeCode: 'BIG-1' } })).toBe(0);
  });

  it('400 for malformed JSON, not a crash', async () => {
    for (const raw of ['{"employee_code": "M-1",', 'not json at all', '{"a":}']) {
      const res = await t.rest<{ detail: string }>('POST', '/api/v1/employees', { rawBody: raw });
      expect(res.status, raw).toBe(400);
      expect(res.body).toEqual({ detail: 'Malformed JSON body' });
    }
    const gql = await t.rest('POST', '/graphql', { rawBody: '{"query": ' });
    expect(gql.status).toBe(400);
    // Still alive.
    expect((await t.rest('GET', '/api/v1/system/health', { key: null })).status).toBe(200);
  });

  it('422 with FastAPI-style detail for invalid input', async () => {
    const res = await t.rest<{ detail: { loc: (string | number)[]; msg: string; type: string }[] }>('POST', '/api/v1/employees', {
      body: { employee_code: '', email: 'nope' },
    });
    expect(res.status).toBe(422);
    const locs = [...new Set(res.body.detail.map((d) => d.loc.join('.')))].sort();
    expect(locs).toEqual(['body.email', 'body.employee_code', 'body.full_name']);
    expect(res.body.detail.every((d) => typeof d.msg === 'string' && typeof d.type === 'string')).toBe(true);

    const badId = await t.rest<{ detail: { loc: string[] }[] }>('GET', '/api/v1/employees/abc');
    expect(badId.status).toBe(422);
    expect(badId.body.detail[0]?.loc).toEqual(['path', 'id']);

    const badQuery = await t.rest<{ detail: { loc: string[] }[] }>('GET', '/api/v1/employees?limit=0');
    expect(badQuery.status).toBe(422);
    expect(badQuery.body.detail[0]?.loc).toEqual(['query', 'limit']);
  });

  it('404 { detail: "Not Found" } for unknown routes', async () => {
    const res = await t.rest('GET', '/api/v1/nope', { key: null });
    expect(res.status).toBe(404);
    expect(res.body).toEqual({ detail: 'Not Found' });
  });

  it('echoes a sane x-request-id and makes one up otherwise', async () => {
    const given = await t.rest('GET', '/api/v1/system/health', { key: null, headers: { 'x-request-id': 'trace-abc.123' } });
    expect(given.headers.get('x-request-id')).toBe('trace-abc.123');
    const insane = await t.rest('GET', '/api/v1/system/health', { key: null, headers: { 'x-request-id': 'bad id\twith tabs' } });
    expect(insane.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
  });
});
