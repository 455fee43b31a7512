// Listing employees with related data (template count, last attendance) costs
// a fixed number of SQL queries whatever the page size: DataLoader batches the
// per-employee lookups. Counted with Prisma's query event.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp } from '../helpers/test-app.js';
import type { TestApp } from '../helpers/test-app.js';
import { EmployeesDocument } from '../graphql/generated.js';

/** employees findMany + count, template counts, latest attendance (2 steps). */
const MAX_QUERIES = 5;

let t: TestApp;
let queries: string[] = [];

beforeAll(async () => {
  t = await startTestApp({ prisma: { log: ['query'] } });
  // createPrisma's client is typed without log events; the event exists at run time.
  (t.db.prisma as unknown as { $on(event: 'query', cb: (e: { query: string }) => void): void }).$on('query', (e) => {
    queries.push(e.query);
  });
  const prisma = t.db.prisma;
  await prisma.employee.createMany({
    data: Array.from({ length: 50 }, (_, i) => ({ employeeCode: `BATCH-${i}`, fullName: `Batch ${i}`, department: 'Batch' })),
  });
  const employees = await prisma.employee.findMany({ where: { department: 'Batch' }, orderBy: { id: 'asc' } });
  const embedding = new Uint8Array(2048);
  await prisma.faceTemplate.createMany({
    data: employees.flatMap((e, i) =>
      Array.from({ length: i % 2 === 0 ? 2 : 1 }, () => ({ employeeId: e.id, modelId: 'test-pack', embedding, quality: 0.9, source: 'test' })),
    ),
  });
  await prisma.attendanceLog.createMany({
    data: employees.flatMap((e, i) =>
      [1, 2].map((day) => {
        const at = new Date(Date.UTC(2026, 0, day, 8, i));
        return {
          eventId: `batch-${e.id}-${day}`,
          employeeId: e.id,
          checkInTime: at,
          localDate: at.toISOString().slice(0, 10),
          confidenceScore: 0.8,
          recognitionMethod: 'cosine' as const,
        };
      }),
    ),
  });
  // Warm the API-key cache so authentication does not add queries below.
  await t.gql(EmployeesDocument, { take: 1 });
  await t.rest('GET', '/api/v1/employees?limit=1');
});
afterAll(async () => {
  await t?.stop();
});

async function countQueries(run: () => Promise<void>): Promise<number> {
  await new Promise((r) => setTimeout(r, 50));
  queries = [];
  await run();
  // Only the list's own tables: the server's background work (health pings, the outbox, scheduled
  // jobs, API-key checks) shares this client and may run meanwhile.
  return queries.filter((q) => /`(Employee|FaceTemplate|AttendanceLog)`/.test(q)).length;
}

describe('N+1 guard', () => {
  it('GraphQL: 50 employees with templateCount and lastSeenAt in a bounded number of queries', async () => {
    let items: { templateCount: number; lastSeenAt: string | null }[] = [];
    const fifty = await countQueries(async () => {
      const res = await t.gql(EmployeesDocument, { filter: { department: 'Batch' }, take: 50 });
      items = res.data?.employees.items ?? [];
    });
    expect(items).toHaveLength(50);
    expect(items.filter((e) => e.templateCount === 2)).toHaveLength(25);
    expect(items.every((e) => e.lastSeenAt?.startsWith('2026-01-02T08:') === true)).toBe(true);

    const five = await countQueries(async () => {
      await t.gql(EmployeesDocument, { filter: { department: 'Batch' }, take: 5 });
    });
    // At least the list, the count and one batch per relation really ran (the counter works).
    expect(fifty).toBeGreaterThanOrEqual(4);
    expect(fifty).toBeLessThanOrEqual(MAX_QUERIES);
    expect(fifty).toBe(five);
  });

  it('REST: the same bound for GET /api/v1/employees', async () => {
    let body: { template_count: number }[] = [];
    const fifty = await countQueries(async () => {
      body = (await t.rest<{ template_count: number }[]>('GET', '/api/v1/employees?department=Batch&limit=50')).body;
    });
    expect(body).toHaveLength(50);
    expect(body.reduce((sum, e) => sum + e.template_count, 0)).toBe(75);
    expect(fifty).toBeGreaterThanOrEqual(4);
    expect(fifty).toBeLessThanOrEqual(MAX_QUERIES);
  });
});
