// Employee CRUD through the real server: GraphQL and REST see the same data,
// duplicates and unknown ids fail the same way, erase really erases.
import { mkdir, writeFile, access } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp } from '../helpers/test-app.js';
import type { TestApp } from '../helpers/test-app.js';
import { makeAttendance, makeTemplate } from '../helpers/factories.js';
import {
  CreateEmployeeDocument,
  DeactivateEmployeeDocument,
  EmployeeDocument,
  EmployeesDocument,
  EraseEmployeeDocument,
  UpdateEmployeeDocument,
} from '../graphql/generated.js';

interface EmployeeJson {
  id: number;
  employee_code: string;
  full_name: string;
  email: string | null;
  department: string | null;
  is_active: boolean;
  template_count: number;
  last_seen_at: string | null;
  erased_at: string | null;
  created_at: string;
  updated_at: string;
}

let t: TestApp;

beforeAll(async () => {
  t = await startTestApp();
});
afterAll(async () => {
  await t?.stop();
});

describe('employees over GraphQL and REST', () => {
  it('creates over GraphQL and reads the same data over REST', async () => {
    const created = await t.gql(CreateEmployeeDocument, {
      input: { employeeCode: 'G-001', fullName: 'Grace Hopper', email: 'grace@example.com', department: 'Navy' },
    });
    expect(created.errors).toBeUndefined();
    const employee = created.data?.createEmployee;
    if (employee?.__typename !== 'Employee') {
      throw new Error(`expected an Employee, got ${JSON.stringify(created)}`);
    }
    const rest = await t.rest<EmployeeJson>('GET', `/api/v1/employees/${employee.id}`);
    expect(rest.status).toBe(200);
    expect(rest.body).toEqual({
      id: employee.id,
      employee_code: 'G-001',
      full_name: 'Grace Hopper',
      email: 'grace@example.com',
      department: 'Navy',
      is_active: true,
      awaiting_approval: false,
      template_count: 0,
      last_seen_at: null,
      erased_at: null,
      created_at: employee.createdAt,
      updated_at: employee.updatedAt,
    });
  });

  it('creates over REST (201 with id) and reads the same data over GraphQL', async () => {
    const rest = await t.rest<EmployeeJson>('POST', '/api/v1/employees', {
      body: { employee_code: 'R-001', full_name: 'Alan Turing', department: 'Research' },
    });
    expect(rest.status).toBe(201);
    expect(rest.body.id).toBeGreaterThan(0);
    const gql = await t.gql(EmployeeDocument, { id: rest.body.id });
    expect(gql.data?.employee).toMatchObject({
      __typename: 'Employee',
      id: rest.body.id,
      employeeCode: 'R-001',
      fullName: 'Alan Turing',
      email: null,
      department: 'Research',
      isActive: true,
      createdAt: rest.body.created_at,
    });
  });

  it('lists with filters and pagination the same way on both APIs', async () => {
    for (let i = 0; i < 5; i++) {
      const res = await t.rest('POST', '/api/v1/employees', {
        body: { employee_code: `L-${i}`, full_name: `Lister ${i}`, department: i % 2 === 0 ? 'Even' : 'Odd', is_active: i !== 4 },
      });
      expect(res.status).toBe(201);
    }
    const gql = await t.gql(EmployeesDocument, { filter: { department: 'Even', isActive: true } });
    expect(gql.data?.employees.items.map((e) => e.employeeCode)).toEqual(['L-0', 'L-2']);
    expect(gql.data?.employees.totalCount).toBe(2);

    const rest = await t.rest<EmployeeJson[]>('GET', '/api/v1/employees?department=Even&is_active=true');
    expect(rest.body.map((e) => e.employee_code)).toEqual(['L-0', 'L-2']);
    expect(rest.headers.get('x-total-count')).toBe('2');

    const search = await t.rest<EmployeeJson[]>('GET', '/api/v1/employees?search=lister%203');
    expect(search.body.map((e) => e.employee_code)).toEqual(['L-3']);
    const gqlSearch = await t.gql(EmployeesDocument, { filter: { search: 'LISTER 3' } });
    expect(gqlSearch.data?.employees.items.map((e) => e.employeeCode)).toEqual(['L-3']);

    const page = await t.rest<EmployeeJson[]>('GET', '/api/v1/employees?search=Lister&page=2&page_size=2');
    expect(page.body.map((e) => e.employee_code)).toEqual(['L-2', 'L-3']);
    const skipLimit = await t.rest<EmployeeJson[]>('GET', '/api/v1/employees?search=Lister&skip=4&limit=10');
    expect(skipLimit.body.map((e) => e.employee_code)).toEqual(['L-4']);
    const gqlPage = await t.gql(EmployeesDocument, { filter: { search: 'Lister' }, skip: 2, take: 2 });
    expect(gqlPage.data?.employees).toMatchObject({ totalCount: 5, skip: 2, take: 2 });
    expect(gqlPage.data?.employees.items.map((e) => e.employeeCode)).toEqual(['L-2', 'L-3']);
  });

  it('updates over REST and GraphQL, each seeing the other', async () => {
    const { body: created } = await t.rest<EmployeeJson>('POST', '/api/v1/employees', {
      body: { employee_code: 'U-1', full_name: 'Before', email: 'before@example.com' },
    });
    const put = await t.rest<EmployeeJson>('PUT', `/api/v1/employees/${created.id}`, {
      body: { full_name: 'After REST', email: null },
    });
    expect(put.status).toBe(200);
    expect(put.body).toMatchObject({ full_name: 'After REST', email: null, employee_code: 'U-1' });

    const gql = await t.gql(UpdateEmployeeDocument, { id: created.id, input: { department: 'Ops', fullName: 'After GQL' } });
    expect(gql.data?.updateEmployee).toMatchObject({ __typename: 'Employee', fullName: 'After GQL', department: 'Ops' });
    const rest = await t.rest<EmployeeJson>('GET', `/api/v1/employees/${created.id}`);
    expect(rest.body).toMatchObject({ full_name: 'After GQL', department: 'Ops', email: null });

    const audit = await t.db.prisma.auditLog.findMany({ where: { entityType: 'employee', entityId: String(created.id) } });
    expect(audit.map((a) => a.action)).toEqual(['employee.create', 'employee.update', 'employee.update']);
    expect(audit[1]?.actor).toMatch(/^api-key:\d+:/);
  });

  it('deactivates with DELETE (soft) and with the GraphQL mutation', async () => {
    const { body: a } = await t.rest<EmployeeJson>('POST', '/api/v1/employees', { body: { employee_code: 'D-1', full_name: 'Del One' } });
    const del = await t.rest<EmployeeJson>('DELETE', `/api/v1/employees/${a.id}`);
    expect(del.status).toBe(200);
    expect(del.body).toMatchObject({ id: a.id, is_active: false, full_name: 'Del One', erased_at: null });

    const { body: b } = await t.rest<EmployeeJson>('POST', '/api/v1/employees', { body: { employee_code: 'D-2', full_name: 'Del Two' } });
    const gql = await t.gql(DeactivateEmployeeDocument, { id: b.id });
    expect(gql.data?.deactivateEmployee).toMatchObject({ __typename: 'Employee', isActive: false });
    const inactive = await t.rest<EmployeeJson[]>('GET', '/api/v1/employees?is_active=false&search=Del');
    expect(inactive.body.map((e) => e.employee_code)).toEqual(['D-1', 'D-2']);
  });

  it('rejects a duplicate employee_code: 409 on REST, a typed error on GraphQL', async () => {
    const first = await t.rest('POST', '/api/v1/employees', { body: { employee_code: 'DUP-1', full_name: 'First' } });
    expect(first.status).toBe(201);
    const rest = await t.rest<{ detail: string }>('POST', '/api/v1/employees', { body: { employee_code: 'DUP-1', full_name: 'Second' } });
    expect(rest.status).toBe(409);
    expect(rest.body.detail).toContain('DUP-1');

    const gql = await t.gql(CreateEmployeeDocument, { input: { employeeCode: 'DUP-1', fullName: 'Third' } });
    expect(gql.data?.createEmployee).toEqual({
      __typename: 'DuplicateEmployeeCodeError',
      employeeCode: 'DUP-1',
      code: 'DUPLICATE_EMPLOYEE_CODE',
      message: 'Employee code DUP-1 already exists',
    });
    // Renaming onto an existing code is the same conflict.
    const { body: other } = await t.rest<EmployeeJson>('POST', '/api/v1/employees', { body: { employee_code: 'DUP-2', full_name: 'Other' } });
    const put = await t.rest('PUT', `/api/v1/employees/${other.id}`, { body: { employee_code: 'DUP-1' } });
    expect(put.status).toBe(409);
    expect(await t.db.prisma.employee.count({ where: { employeeCode: 'DUP-1' } })).toBe(1);
  });

  it('answers an unknown id with 404 on REST and EmployeeNotFoundError on GraphQL', async () => {
    for (const [method, body] of [['GET', undefined], ['PUT', { full_name: 'x' }], ['DELETE', undefined]] as const) {
      const res = await t.rest<{ detail: string }>(method, '/api/v1/employees/999999', { body });
      expect(res.status, method).toBe(404);
      expect(res.body).toEqual({ detail: 'Employee 999999 not found' });
    }
    const gql = await t.gql(EmployeeDocument, { id: 999999 });
    expect(gql.data?.employee).toEqual({ __typename: 'EmployeeNotFoundError', code: 'EMPLOYEE_NOT_FOUND', message: 'Employee 999999 not found' });
    const erase = await t.gql(EraseEmployeeDocument, { id: 999999 });
    expect(erase.data?.eraseEmployee.__typename).toBe('EmployeeNotFoundError');
  });

  it('returns validation problems as a typed GraphQL error', async () => {
    const gql = await t.gql(CreateEmployeeDocument, { input: { employeeCode: 'bad code!', fullName: ' ', email: 'not-an-email' } });
    const result = gql.data?.createEmployee;
    if (result?.__typename !== 'ValidationError') {
      throw new Error(`expected ValidationError, got ${JSON.stringify(gql)}`);
    }
    expect(result.issues.map((i) => i.path[0]).sort()).toEqual(['email', 'employeeCode', 'fullName']);
  });

  it('erases: templates and snapshot files gone, personal fields blanked, attendance kept, audited', async () => {
    const { body: e } = await t.rest<EmployeeJson>('POST', '/api/v1/employees', {
      body: { employee_code: 'ERASE-1', full_name: 'Eve Erased', email: 'eve@example.com', department: 'Privacy' },
    });
    await makeTemplate(t.db.prisma, e.id);
    await makeTemplate(t.db.prisma, e.id);
    const snapshotDir = path.join(t.dataDir, 'snapshots');
    await mkdir(snapshotDir, { recursive: true });
    const snapshot = path.join(snapshotDir, `${e.id}.jpg`);
    await writeFile(snapshot, 'jpeg bytes');
    // An absolute path outside DATA_DIR must be left alone, whatever the row says.
    const outside = path.join(path.dirname(t.dataDir), `outside-${e.id}.jpg`);
    await writeFile(outside, 'not ours');
    await makeAttendance(t.db.prisma, e.id, new Date('2026-01-05T08:00:00Z'), { snapshotPath: `snapshots/${e.id}.jpg` });
    await makeAttendance(t.db.prisma, e.id, new Date('2026-01-06T08:00:00Z'), { snapshotPath: outside });

    const before = await t.gql(EmployeeDocument, { id: e.id });
    expect(before.data?.employee).toMatchObject({ templateCount: 2, lastSeenAt: '2026-01-06T08:00:00.000Z' });

    const gql = await t.gql(EraseEmployeeDocument, { id: e.id, reason: 'GDPR request #12' });
    expect(gql.data?.eraseEmployee).toMatchObject({
      __typename: 'Employee',
      fullName: 'Erased employee',
      employeeCode: `erased-${e.id}`,
      email: null,
      department: null,
      isActive: false,
      templateCount: 0,
    });
    expect(await t.db.prisma.faceTemplate.count({ where: { employeeId: e.id } })).toBe(0);
    await expect(access(snapshot)).rejects.toThrow();
    await expect(access(outside)).resolves.toBeUndefined();
    const logs = await t.db.prisma.attendanceLog.findMany({ where: { employeeId: e.id } });
    expect(logs).toHaveLength(2);
    expect(logs.every((l) => l.snapshotPath === null)).toBe(true);

    const audit = await t.db.prisma.auditLog.findMany({ where: { entityType: 'employee', entityId: String(e.id) }, orderBy: { id: 'asc' } });
    expect(audit.at(-1)).toMatchObject({ action: 'employee.erase', reason: 'GDPR request #12' });
    // Earlier audit rows no longer hold the personal data.
    expect(JSON.stringify(audit)).not.toContain('eve@example.com');

    // Erased people drop out of lists, and REST can erase too (idempotent).
    const list = await t.rest<EmployeeJson[]>('GET', '/api/v1/employees?search=erased');
    expect(list.body).toEqual([]);
    const again = await t.rest<EmployeeJson>('DELETE', `/api/v1/employees/${e.id}?erase=true`);
    expect(again.status).toBe(200);
    expect(again.body.erased_at).toBe(gql.data?.eraseEmployee.__typename === 'Employee' ? gql.data.eraseEmployee.erasedAt : null);
  });
});
