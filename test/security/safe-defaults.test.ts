// Item 7 of the trust issue: safe by default. The real entry point (src/main.ts)
// started as its own process with no NODE_ENV at all: production behaviour
// (no GraphiQL, no stack traces or internal messages in REST or GraphQL),
// stray promise rejections logged instead of fatal (here: every Redis publish
// fails, Redis being unreachable), auth refusals logged at info without a stack.
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { installProcessGuards } from '../../src/process-guards.js';
import { createTestDatabase, type TestDatabase } from '../helpers/database.js';

let db: TestDatabase;
let server: ChildProcess;
let url = '';
let cwd = '';
const lines: Record<string, unknown>[] = [];
const adminKey = `fa_${randomBytes(24).toString('base64url')}`;

beforeAll(async () => {
  db = await createTestDatabase();
  cwd = await mkdtemp(join(tmpdir(), 'fa-main-')); // no .env there
  const root = process.cwd();
  server = spawn(join(root, 'node_modules/.bin/tsx'), [join(root, 'src/main.ts')], {
    cwd,
    env: {
      PATH: process.env.PATH,
      HOST: '127.0.0.1',
      PORT: '0',
      DATABASE_URL: db.url,
      SECRET_KEY: randomBytes(24).toString('hex'),
      TEMPLATE_ENCRYPTION_KEY: randomBytes(32).toString('base64'),
      ADMIN_API_KEY: adminKey,
      DATA_DIR: join(cwd, 'data'),
      MODELS_DIR: join(cwd, 'no-models'), // no engine needed here
      REDIS_URL: 'redis://127.0.0.1:1', // nothing listens: every publish fails
      RATE_LIMIT_ENABLED: 'false',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let buffer = '';
  server.stdout!.setEncoding('utf8');
  server.stdout!.on('data', (chunk: string) => {
    buffer += chunk;
    const parts = buffer.split('\n');
    buffer = parts.pop() ?? '';
    for (const part of parts) {
      try {
        lines.push(JSON.parse(part) as Record<string, unknown>);
      } catch {
        lines.push({ raw: part });
      }
    }
  });
  const deadline = Date.now() + 60_000;
  while (url === '' && Date.now() < deadline) {
    const listening = lines.find((l) => l.msg === 'server listening');
    url = typeof listening?.url === 'string' ? listening.url : '';
    await new Promise((r) => setTimeout(r, 100));
  }
  expect(url, JSON.stringify(lines.slice(-5))).not.toBe('');
}, 90_000);

afterAll(async () => {
  if (server !== undefined && server.exitCode === null) {
    const exited = new Promise((r) => server.once('exit', r));
    server.kill('SIGTERM');
    await Promise.race([exited, new Promise((r) => setTimeout(r, 8000))]);
    if (server.exitCode === null) {
      server.kill('SIGKILL');
    }
  }
  await db?.drop();
  await rm(cwd, { recursive: true, force: true });
});

const call = (path: string, init: RequestInit = {}, key: string | null = adminKey) =>
  fetch(`${url}${path}`, { ...init, headers: { ...(key === null ? {} : { authorization: `Bearer ${key}` }), ...(init.headers as Record<string, string>) } });

describe('production unless told otherwise', () => {
  it('no GraphiQL page', async () => {
    const res = await call('/graphql', { headers: { accept: 'text/html' } }, null);
    expect(await res.text()).not.toMatch(/graphiql/i);
  });

  it('a publish failing on every change (Redis down) is logged, and the server keeps serving', async () => {
    for (let i = 0; i < 3; i++) {
      const res = await call('/api/v1/employees', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ employee_code: `R-${i}`, full_name: `Redis Down ${i}` }),
      });
      expect(res.status).toBe(201);
    }
    // Logged (the event bus reports failed commands; anything that still escapes is caught by the
    // process guard), never fatal.
    const logged = (l: Record<string, unknown>): boolean =>
      (typeof l.msg === 'string' && /redis/i.test(l.msg) && Number(l.level) >= 40) || l.msg === 'unhandled promise rejection (the server keeps running)';
    const deadline = Date.now() + 20_000;
    while (!lines.some(logged) && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 200));
    }
    expect(lines.some(logged)).toBe(true);
    expect(server.exitCode).toBeNull();
    expect((await call('/api/v1/employees')).status).toBe(200);
  }, 30_000);

  it('auth refusals are logged at info, without a stack', async () => {
    const before = lines.length;
    expect((await call('/api/v1/employees', {}, 'fa_not-a-key')).status).toBe(401);
    const gql = await call('/graphql', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query: '{ employees { totalCount } }' }) }, null);
    expect((await gql.json()) as unknown).toMatchObject({ errors: [{ extensions: { code: 'UNAUTHENTICATED' } }] });
    await new Promise((r) => setTimeout(r, 300));
    const refusals = lines.slice(before).filter((l) => /API key|UNAUTHENTICATED/i.test(JSON.stringify(l)));
    expect(refusals.length).toBeGreaterThanOrEqual(2);
    for (const line of refusals) {
      expect(line.level).toBe(30);
      expect(JSON.stringify(line)).not.toContain('"stack"');
    }
  });

  it('an internal failure (database gone) shows no stack, SQL or internal message, in REST and GraphQL', async () => {
    await db.prisma.$executeRawUnsafe('DROP TABLE `AttendanceLog`');
    const rest = await call('/api/v1/attendance/logs');
    const restText = await rest.text();
    expect(rest.status).toBeGreaterThanOrEqual(500);
    const gql = await call('/graphql', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: '{ attendanceToday { totalCount } }' }),
    });
    const gqlText = await gql.text();
    for (const text of [restText, gqlText]) {
      expect(text).not.toMatch(/AttendanceLog|prisma|doesn't exist|stack|\/src\/|node_modules|at \w+ \(/i);
    }
    // A masked message: yoga's "Unexpected error." or the database-unavailable 503 text, nothing of the cause.
    expect(gqlText).toMatch(/Unexpected error|database is unavailable/i);
  });
});

describe('installProcessGuards', () => {
  it('logs a stray rejection instead of letting it end the process', async () => {
    const logged: unknown[] = [];
    const fake = new (await import('node:events')).EventEmitter() as unknown as NodeJS.Process;
    const log = { error: (obj: unknown) => logged.push(obj) } as unknown as Parameters<typeof installProcessGuards>[0];
    const uninstall = installProcessGuards(log, fake);
    fake.emit('unhandledRejection', new Error('redis publish failed'), Promise.resolve());
    expect(logged).toHaveLength(1);
    uninstall();
    expect(fake.listenerCount('unhandledRejection')).toBe(0);
  });
});
