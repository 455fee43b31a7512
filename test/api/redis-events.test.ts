// With REDIS_URL set, events cross instances: a change made through one server
// reaches a subscriber of another (both on the same database and Redis).
import { print } from 'graphql';
import { createClient } from 'graphql-ws';
import WebSocket from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/app.js';
import type { App } from '../../src/app.js';
import { startTestApp } from '../helpers/test-app.js';
import type { TestApp } from '../helpers/test-app.js';
import { siblingConfig } from '../helpers/test-config.js';
import { makeEmployee } from '../helpers/factories.js';
import { EmployeeChangedDocument, UpdateEmployeeDocument } from '../graphql/generated.js';
import type { EmployeeChangedSubscription } from '../graphql/generated.js';

const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

let a: TestApp;
let b: App;
let bUrl: string;

beforeAll(async () => {
  a = await startTestApp({ env: { REDIS_URL } });
  // A second instance on the same database, sharing nothing in memory with the first.
  b = await buildApp(siblingConfig(a.config, { REDIS_URL }), { prisma: a.db.prisma });
  bUrl = (await b.start()).url;
});
afterAll(async () => {
  await b?.stop();
  await a?.stop();
});

describe('redis event bus', () => {
  it('delivers employeeChanged from instance A to a subscriber on instance B', async () => {
    expect(a.app.deps.eventBusKind).toBe('redis');
    const employee = await makeEmployee(a.db.prisma);
    const client = createClient({
      url: `${bUrl.replace('http', 'ws')}/graphql`,
      webSocketImpl: WebSocket,
      connectionParams: { authorization: `Bearer ${a.adminKey}` },
      retryAttempts: 0,
    });
    try {
      const iterator = client.iterate<EmployeeChangedSubscription>({
        query: print(EmployeeChangedDocument),
        variables: { employeeId: employee.id },
      });
      let received = false;
      const first = iterator.next().finally(() => {
        received = true;
      });
      // Subscribing has no acknowledgement: change through A until B reports it (bounded).
      for (let i = 0; i < 50 && !received; i++) {
        await a.gql(UpdateEmployeeDocument, { id: employee.id, input: { fullName: `Via A ${i}` } });
        await Promise.race([first, new Promise((r) => setTimeout(r, 100))]);
      }
      const event = (await first).value as { data?: EmployeeChangedSubscription } | undefined;
      expect(event?.data?.employeeChanged).toMatchObject({ kind: 'updated', employeeId: employee.id });
      expect(event?.data?.employeeChanged.employee?.fullName).toMatch(/^Via A \d+$/);
      await iterator.return?.();
    } finally {
      await client.dispose();
    }
  });
});
