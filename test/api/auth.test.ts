// Auth per role on both APIs, from the one permission matrix: who may read,
// write, erase and manage keys; 401 without or with a bad key, 403 for the
// wrong role; health stays open; revocation bites at once.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp } from '../helpers/test-app.js';
import type { TestApp } from '../helpers/test-app.js';
import { errorCodes } from '../helpers/graphql-client.js';
import { makeCamera, makeEmployee } from '../helpers/factories.js';
import {
  ApiKeysDocument,
  CreateApiKeyDocument,
  CreateEmployeeDocument,
  EmployeesDocument,
  EraseEmployeeDocument,
  HealthDocument,
  MeDocument,
  RevokeApiKeyDocument,
  SystemInfoDocument,
} from '../graphql/generated.js';
import type { Role } from '../../src/auth/permissions.js';

let t: TestApp;
const keys = {} as Record<Role, string>;
let employeeId: number;
let cameraId: number;

beforeAll(async () => {
  t = await startTestApp();
  cameraId = (await makeCamera(t.db.prisma, 'front-door')).id;
  keys.admin = t.adminKey;
  keys.operator = await t.createKey('operator');
  keys.viewer = await t.createKey('viewer');
  keys.kiosk = await t.createKey('kiosk', { cameraId });
  employeeId = (await makeEmployee(t.db.prisma)).id;
});
afterAll(async () => {
  await t?.stop();
});

const allRoles: Role[] = ['admin', 'operator', 'viewer', 'kiosk'];

describe('REST permissions per role', () => {
  const cases: { name: string; method: string; route: () => string; body?: () => unknown; allowed: Role[] }[] = [
    { name: 'list employees', method: 'GET', route: () => '/api/v1/employees', allowed: ['admin', 'operator', 'viewer'] },
    { name: 'get employee', method: 'GET', route: () => `/api/v1/employees/${employeeId}`, allowed: ['admin', 'operator', 'viewer'] },
    {
      name: 'create employee',
      method: 'POST',
      route: () => '/api/v1/employees',
      body: () => ({ employee_code: `AUTH-${Math.random().toString(36).slice(2, 10)}`, full_name: 'Auth Test' }),
      allowed: ['admin', 'operator'],
    },
    { name: 'update employee', method: 'PUT', route: () => `/api/v1/employees/${employeeId}`, body: () => ({ department: 'X' }), allowed: ['admin', 'operator'] },
    { name: 'system status', method: 'GET', route: () => '/api/v1/system/status', allowed: ['admin', 'operator', 'viewer'] },
    { name: 'system info', method: 'GET', route: () => '/api/v1/system/info', allowed: ['admin', 'operator', 'viewer'] },
    { name: 'list keys', method: 'GET', route: () => '/api/v1/auth/keys', allowed: ['admin'] },
    { name: 'me', method: 'GET', route: () => '/api/v1/auth/me', allowed: allRoles },
  ];

  for (const c of cases) {
    it(`${c.name}: allowed for ${c.allowed.join(', ')}; 403 for the others; 401 without a key`, async () => {
      for (const role of allRoles) {
        const res = await t.rest(c.method, c.route(), { key: keys[role], body: c.body?.() });
        expect(res.status, `${role} ${c.method} ${c.route()}`).toBe(c.allowed.includes(role) ? (c.method === 'POST' ? 201 : 200) : 403);
      }
      const anonymous = await t.rest<{ detail: string }>(c.method, c.route(), { key: null, body: c.body?.() });
      expect(anonymous.status).toBe(401);
      expect(typeof anonymous.body.detail).toBe('string');
    });
  }

  it('a kiosk can never delete employees; an operator deactivates but cannot erase', async () => {
    const target = await makeEmployee(t.db.prisma);
    expect((await t.rest('DELETE', `/api/v1/employees/${target.id}`, { key: keys.kiosk })).status).toBe(403);
    expect((await t.rest('DELETE', `/api/v1/employees/${target.id}`, { key: keys.viewer })).status).toBe(403);
    expect((await t.rest('DELETE', `/api/v1/employees/${target.id}?erase=true`, { key: keys.operator })).status).toBe(403);
    expect((await t.rest('DELETE', `/api/v1/employees/${target.id}`, { key: keys.operator })).status).toBe(200);
    const row = await t.db.prisma.employee.findUniqueOrThrow({ where: { id: target.id } });
    expect(row).toMatchObject({ isActive: false, erasedAt: null });
  });

  it('health is open; a bad key is 401; X-API-Key works like Bearer', async () => {
    expect((await t.rest('GET', '/api/v1/system/health', { key: null })).status).toBe(200);
    expect((await t.rest('GET', '/api/v1/employees', { key: 'fa_not-a-real-key' })).status).toBe(401);
    expect((await t.rest('GET', '/api/v1/employees', { key: keys.viewer, keyHeader: 'x-api-key' })).status).toBe(200);
    const me = await t.rest<{ role: string; camera_id: number | null }>('GET', '/api/v1/auth/me', { key: keys.kiosk, keyHeader: 'x-api-key' });
    expect(me.body).toMatchObject({ role: 'kiosk', camera_id: cameraId });
  });
});

describe('GraphQL permissions per role', () => {
  it('employees query: admin, operator, viewer yes; kiosk FORBIDDEN; no key UNAUTHENTICATED', async () => {
    for (const role of allRoles) {
      const res = await t.gql(EmployeesDocument, {}, keys[role]);
      if (role === 'kiosk') {
        expect(errorCodes(res)).toEqual(['FORBIDDEN']);
        expect(res.data).toBeNull();
      } else {
        expect(res.errors, role).toBeUndefined();
        expect(res.data?.employees.totalCount).toBeGreaterThan(0);
      }
    }
    expect(errorCodes(await t.gql(EmployeesDocument, {}, null))).toEqual(['UNAUTHENTICATED']);
  });

  it('createEmployee: operator yes, viewer and kiosk FORBIDDEN', async () => {
    const ok = await t.gql(CreateEmployeeDocument, { input: { employeeCode: 'GQL-OP', fullName: 'By Operator' } }, keys.operator);
    expect(ok.data?.createEmployee.__typename).toBe('Employee');
    for (const role of ['viewer', 'kiosk'] as const) {
      const res = await t.gql(CreateEmployeeDocument, { input: { employeeCode: `GQL-${role}`, fullName: 'No' } }, keys[role]);
      expect(errorCodes(res), role).toEqual(['FORBIDDEN']);
    }
    expect(await t.db.prisma.employee.count({ where: { employeeCode: { startsWith: 'GQL-' } } })).toBe(1);
  });

  it('eraseEmployee is admin-only', async () => {
    const target = await makeEmployee(t.db.prisma);
    expect(errorCodes(await t.gql(EraseEmployeeDocument, { id: target.id }, keys.operator))).toEqual(['FORBIDDEN']);
    const res = await t.gql(EraseEmployeeDocument, { id: target.id }, keys.admin);
    expect(res.data?.eraseEmployee.__typename).toBe('Employee');
  });

  it('health is open; systemInfo needs a reader role; me reports the caller', async () => {
    const health = await t.gql(HealthDocument, {}, null);
    expect(health.data?.health).toMatchObject({ status: 'healthy', database: 'up' });
    expect(errorCodes(await t.gql(SystemInfoDocument, {}, keys.kiosk))).toEqual(['FORBIDDEN']);
    expect((await t.gql(SystemInfoDocument, {}, keys.viewer)).data?.systemInfo.name).toBe('face-attendance');
    const me = await t.gql(MeDocument, {}, keys.kiosk);
    expect(me.data?.me).toMatchObject({ role: 'kiosk', cameraId });
    expect(me.data?.me.permissions).toContain('recognition:submit');
    expect(me.data?.me.permissions).not.toContain('employees:read');
  });

  it('an invalid key on /graphql is refused with 401', async () => {
    const res = await t.gql(HealthDocument, {}, 'fa_bogus');
    expect(res.status).toBe(401);
    expect(errorCodes(res)).toEqual(['UNAUTHENTICATED']);
  });
});

describe('API key lifecycle', () => {
  it('creates, lists (prefix only, hash at rest) and revokes with immediate effect', async () => {
    const created = await t.gql(CreateApiKeyDocument, { input: { name: 'lobby kiosk', role: 'kiosk', cameraId } });
    const result = created.data?.createApiKey;
    if (result?.__typename !== 'CreatedApiKey') {
      throw new Error(JSON.stringify(created));
    }
    expect(result.key).toMatch(/^fa_[\w-]{43}$/);
    expect(result.key.startsWith(result.apiKey.prefix)).toBe(true);
    const row = await t.db.prisma.apiKey.findUniqueOrThrow({ where: { id: result.apiKey.id } });
    expect(row.keyHash).toMatch(/^[0-9a-f]{64}$/);
    expect(JSON.stringify(row)).not.toContain(result.key);

    // The new key works (and is now cached) ...
    expect((await t.rest('GET', '/api/v1/auth/me', { key: result.key })).status).toBe(200);
    const listed = await t.gql(ApiKeysDocument, {});
    expect(listed.data?.apiKeys.find((k) => k.id === result.apiKey.id)).toMatchObject({ name: 'lobby kiosk', role: 'kiosk', cameraId });

    // ... until revoked: then refused at once, despite the cache.
    const revoked = await t.gql(RevokeApiKeyDocument, { id: result.apiKey.id });
    expect(revoked.data?.revokeApiKey).toMatchObject({ __typename: 'ApiKey', id: result.apiKey.id });
    expect((await t.rest('GET', '/api/v1/auth/me', { key: result.key })).status).toBe(401);
    const after = await t.gql(ApiKeysDocument, {});
    expect(after.data?.apiKeys.some((k) => k.id === result.apiKey.id)).toBe(false);
    const withRevoked = await t.gql(ApiKeysDocument, { includeRevoked: true });
    expect(withRevoked.data?.apiKeys.find((k) => k.id === result.apiKey.id)?.revokedAt).not.toBeNull();
  });

  it('the same over REST: 201 with the key once, list, DELETE revokes, 404 for unknown ids', async () => {
    const created = await t.rest<{ id: number; key: string; role: string }>('POST', '/api/v1/auth/keys', { body: { name: 'ops laptop', role: 'operator' } });
    expect(created.status).toBe(201);
    expect(created.body.role).toBe('operator');
    const list = await t.rest<{ id: number; prefix: string }[]>('GET', '/api/v1/auth/keys');
    expect(list.body.find((k) => k.id === created.body.id)?.prefix).toBe(created.body.key.slice(0, 10));
    expect(JSON.stringify(list.body)).not.toContain(created.body.key);
    expect((await t.rest('GET', '/api/v1/employees', { key: created.body.key })).status).toBe(200);
    expect((await t.rest('DELETE', `/api/v1/auth/keys/${created.body.id}`)).status).toBe(200);
    expect((await t.rest('GET', '/api/v1/employees', { key: created.body.key })).status).toBe(401);
    expect((await t.rest('DELETE', '/api/v1/auth/keys/999999')).status).toBe(404);
    expect((await t.rest('POST', '/api/v1/auth/keys', { body: { name: 'x', role: 'superuser' } })).status).toBe(422);
    expect((await t.rest('POST', '/api/v1/auth/keys', { body: { name: 'cam', role: 'kiosk', camera_id: 999999 } })).status).toBe(404);
  });
});
