// Subscriptions end to end: a real graphql-ws client over a real WebSocket,
// and yoga's SSE transport, both receiving `employeeChanged` published by a
// mutation. Auth applies to both.
import { print } from 'graphql';
import { createClient } from 'graphql-ws';
import type { Client } from 'graphql-ws';
import WebSocket from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp } from '../helpers/test-app.js';
import type { TestApp } from '../helpers/test-app.js';
import { makeEmployee } from '../helpers/factories.js';
import { EmployeeChangedDocument, UpdateEmployeeDocument } from '../graphql/generated.js';
import type { EmployeeChangedSubscription } from '../graphql/generated.js';

type Next = IteratorResult<{ data?: EmployeeChangedSubscription | null; errors?: readonly { extensions?: { code?: unknown } }[] }, undefined>;

let t: TestApp;
const clients: Client[] = [];

beforeAll(async () => {
  t = await startTestApp();
});
afterAll(async () => {
  await Promise.all(clients.map(async (c) => c.dispose()));
  await t?.stop();
});

function wsClient(connectionParams?: Record<string, string>): Client {
  const client = createClient({
    url: `${t.url.replace('http', 'ws')}/graphql`,
    webSocketImpl: WebSocket,
    connectionParams,
    retryAttempts: 0,
    lazy: true,
  });
  clients.push(client);
  return client;
}

/**
 * A subscription is live only after the server has processed it, which no
 * protocol message confirms; so keep changing the employee until an event
 * arrives (bounded), then check it is one of ours.
 */
async function changeUntil<T>(employeeId: number, received: Promise<T>): Promise<{ value: T; names: string[] }> {
  const names: string[] = [];
  let done = false;
  const value = received.finally(() => {
    done = true;
  });
  for (let i = 0; i < 50 && !done; i++) {
    const name = `Renamed ${i}`;
    names.push(name);
    await t.gql(UpdateEmployeeDocument, { id: employeeId, input: { fullName: name } });
    await Promise.race([value, new Promise((r) => setTimeout(r, 100))]);
  }
  return { value: await value, names };
}

describe('graphql-ws', () => {
  it('delivers employeeChanged to an authenticated subscriber', async () => {
    const employee = await makeEmployee(t.db.prisma);
    const client = wsClient({ authorization: `Bearer ${t.adminKey}` });
    const iterator = client.iterate<EmployeeChangedSubscription>({
      query: print(EmployeeChangedDocument),
      variables: { employeeId: employee.id },
    });
    const first: Promise<Next> = iterator.next();
    const { value, names } = await changeUntil(employee.id, first);
    expect(value.done).toBe(false);
    const event = value.value?.data?.employeeChanged;
    expect(event).toMatchObject({ kind: 'updated', employeeId: employee.id, employee: { id: employee.id, isActive: true } });
    expect(names).toContain(event?.employee?.fullName);
    await iterator.return?.();
  });

  it('accepts the key as connectionParams.apiKey too, and refuses a role without employees:read', async () => {
    const viewer = await t.createKey('viewer');
    const kiosk = await t.createKey('kiosk');
    const employee = await makeEmployee(t.db.prisma);

    const viewerIterator = wsClient({ apiKey: viewer }).iterate<EmployeeChangedSubscription>({
      query: print(EmployeeChangedDocument),
      variables: { employeeId: employee.id },
    });
    const { value } = await changeUntil(employee.id, viewerIterator.next() as Promise<Next>);
    expect(value.value?.data?.employeeChanged.employeeId).toBe(employee.id);
    await viewerIterator.return?.();

    const kioskIterator = wsClient({ apiKey: kiosk }).iterate({ query: print(EmployeeChangedDocument), variables: {} });
    const refused = (await kioskIterator.next()) as Next;
    expect(refused.value?.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
  });

  it('without a key the subscription is refused; with a bad key the socket is closed', async () => {
    const anonymous = wsClient().iterate({ query: print(EmployeeChangedDocument), variables: {} });
    const result = (await anonymous.next()) as Next;
    expect(result.value?.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');

    const bad = wsClient({ authorization: 'Bearer fa_wrong' }).iterate({ query: print(EmployeeChangedDocument), variables: {} });
    await expect(bad.next()).rejects.toMatchObject({ code: 4403 });
  });
});

describe('SSE', () => {
  it('delivers employeeChanged over text/event-stream', async () => {
    const employee = await makeEmployee(t.db.prisma);
    const abort = new AbortController();
    const response = await fetch(`${t.url}/graphql`, {
      method: 'POST',
      signal: abort.signal,
      headers: { 'content-type': 'application/json', accept: 'text/event-stream', authorization: `Bearer ${t.adminKey}` },
      body: JSON.stringify({ query: print(EmployeeChangedDocument), variables: { employeeId: employee.id } }),
    });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toContain('text/event-stream');
    const reader = response.body!.getReader();
    const decoder = new TextDecoder();
    const firstEvent = (async () => {
      let buffer = '';
      for (;;) {
        const chunk = await reader.read();
        if (chunk.done) {
          throw new Error(`stream ended before an event: ${buffer}`);
        }
        buffer += decoder.decode(chunk.value, { stream: true });
        const match = /event: next\ndata: (.+)\n/.exec(buffer);
        if (match?.[1] !== undefined) {
          return JSON.parse(match[1]) as { data: EmployeeChangedSubscription };
        }
      }
    })();
    const { value } = await changeUntil(employee.id, firstEvent);
    expect(value.data.employeeChanged).toMatchObject({ kind: 'updated', employeeId: employee.id });
    abort.abort();
  });
});
