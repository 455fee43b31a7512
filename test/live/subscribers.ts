// Live-recognition clients for tests: graphql-ws, SSE, the old WebSocket, and
// clients that never read. Each collects what it receives in arrival order.
import { connect, type Socket } from 'node:net';
import { print } from 'graphql';
import { createClient, type Client } from 'graphql-ws';
import WebSocket from 'ws';
import type { TypedDocumentNode } from '@graphql-typed-document-node/core';

export interface Collector<T> {
  items: T[];
  /** Epoch ms (performance clock, as camera timestamps) when each item arrived. */
  receivedAt: number[];
  errors: unknown[];
  close(): Promise<void>;
}

/** A graphql-ws subscription (the key in connectionParams, as browsers do). */
export function graphqlWsCollector<R, V extends Record<string, unknown>>(
  url: string,
  key: string,
  document: TypedDocumentNode<R, V>,
  variables: V,
): Collector<R> {
  const client: Client = createClient({
    url: `${url.replace('http', 'ws')}/graphql`,
    webSocketImpl: WebSocket,
    connectionParams: { authorization: `Bearer ${key}` },
    retryAttempts: 0,
  });
  const items: R[] = [];
  const receivedAt: number[] = [];
  const errors: unknown[] = [];
  const iterator = client.iterate<R>({ query: print(document), variables });
  const done = (async () => {
    try {
      for await (const result of iterator) {
        if (result.errors !== undefined) {
          errors.push(result.errors);
        } else if (result.data != null) {
          items.push(result.data);
          receivedAt.push(performance.timeOrigin + performance.now());
        }
      }
    } catch (error) {
      errors.push(error);
    }
  })();
  return {
    items,
    receivedAt,
    errors,
    async close() {
      await iterator.return?.();
      await client.dispose();
      await done;
    },
  };
}

/** The same subscription over yoga's SSE transport. */
export function sseCollector<R, V>(url: string, key: string, document: TypedDocumentNode<R, V>, variables: V): Collector<R> {
  const abort = new AbortController();
  const items: R[] = [];
  const receivedAt: number[] = [];
  const errors: unknown[] = [];
  const done = (async () => {
    try {
      const response = await fetch(`${url}/graphql`, {
        method: 'POST',
        signal: abort.signal,
        headers: { 'content-type': 'application/json', accept: 'text/event-stream', authorization: `Bearer ${key}` },
        body: JSON.stringify({ query: print(document), variables }),
      });
      const decoder = new TextDecoder();
      let buffer = '';
      const reader = response.body!.getReader();
      for (;;) {
        const chunk = await reader.read();
        if (chunk.done) {
          break;
        }
        buffer += decoder.decode(chunk.value, { stream: true });
        let end: number;
        while ((end = buffer.indexOf('\n\n')) >= 0) {
          const block = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          const data = block
            .split('\n')
            .filter((l) => l.startsWith('data:'))
            .map((l) => l.slice(5).trim())
            .join('\n');
          if (data !== '') {
            const parsed = JSON.parse(data) as { data?: R; errors?: unknown };
            if (parsed.errors !== undefined) {
              errors.push(parsed.errors);
            } else if (parsed.data !== undefined) {
              items.push(parsed.data);
              receivedAt.push(performance.timeOrigin + performance.now());
            }
          }
        }
      }
    } catch (error) {
      if (!abort.signal.aborted) {
        errors.push(error);
      }
    }
  })();
  return {
    items,
    receivedAt,
    errors,
    async close() {
      abort.abort();
      await done;
    },
  };
}

export interface LegacyMessage {
  type: string;
  [key: string]: unknown;
}

/** The old service's WebSocket stream. */
export function legacyCollector(url: string, query: string): Collector<LegacyMessage> & { opened: Promise<void>; closeCode: Promise<number> } {
  const socket = new WebSocket(`${url.replace('http', 'ws')}/api/v1/recognition/ws/stream?${query}`);
  const items: LegacyMessage[] = [];
  const receivedAt: number[] = [];
  const errors: unknown[] = [];
  socket.on('message', (data) => {
    items.push(JSON.parse((data as Buffer).toString('utf8')) as LegacyMessage);
    receivedAt.push(performance.timeOrigin + performance.now());
  });
  socket.on('error', (error) => errors.push(error));
  const opened = new Promise<void>((resolve) => socket.once('open', () => resolve()));
  const closeCode = new Promise<number>((resolve) => socket.once('close', (code) => resolve(code)));
  return {
    items,
    receivedAt,
    errors,
    opened,
    closeCode,
    async close() {
      if (socket.readyState === WebSocket.OPEN || socket.readyState === WebSocket.CONNECTING) {
        socket.close();
      }
      await closeCode;
    },
  };
}

/**
 * A client that upgrades to the old WebSocket and then never reads its socket:
 * the server's unsent data piles up in its own buffers.
 */
export function stalledLegacyClient(port: number, query: string): { close(): void } {
  const socket: Socket = connect(port, '127.0.0.1');
  socket.write(
    `GET /api/v1/recognition/ws/stream?${query} HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n` +
      'Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n',
  );
  socket.pause();
  socket.on('error', () => undefined);
  return { close: () => socket.destroy() };
}

/** A graphql-ws client that subscribes and then stops reading its socket. */
export async function stalledGraphqlWsClient(url: string, key: string, query: string, variables: Record<string, unknown>): Promise<{ close(): void }> {
  const socket = new WebSocket(`${url.replace('http', 'ws')}/graphql`, 'graphql-transport-ws');
  await new Promise<void>((resolve, reject) => {
    socket.once('open', () => resolve());
    socket.once('error', reject);
  });
  socket.send(JSON.stringify({ type: 'connection_init', payload: { authorization: `Bearer ${key}` } }));
  await new Promise<void>((resolve) => socket.once('message', () => resolve()));
  socket.send(JSON.stringify({ id: '1', type: 'subscribe', payload: { query, variables } }));
  // ws reads through this net.Socket; pausing it stops reading altogether.
  (socket as unknown as { _socket: Socket })._socket.pause();
  socket.on('error', () => undefined);
  return { close: () => socket.terminate() };
}
