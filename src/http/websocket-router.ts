// WebSocket endpoints on the same HTTP server and port as everything else.
// Each path gets its own `ws` server in noServer mode; the router hands every
// upgrade request to the one registered for its path and refuses the rest.
//
//   const wss = deps.websockets.register('/api/v1/recognition/ws/stream');
//   wss.on('connection', (socket, request) => { ... });
import type { IncomingMessage, Server } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer } from 'ws';
import type { ServerOptions } from 'ws';
import type { Logger } from 'pino';
import type { Authenticator } from '../auth/authenticator.js';
import type { Caller } from '../auth/caller.js';
import { extractApiKey } from '../auth/api-key-crypto.js';

export interface WebSocketRouter {
  /** Creates the ws server for one path (exact match, query string ignored). */
  register(path: string, options?: Omit<ServerOptions, 'noServer' | 'server' | 'port'>): WebSocketServer;
  attach(server: Server): void;
  /** Open connections over all paths. */
  connectionCount(): number;
  /** Closes every socket (1001 going away) and every ws server. */
  close(): Promise<void>;
}

export function createWebSocketRouter(options: { maxPayload: number; log: Logger }): WebSocketRouter {
  const servers = new Map<string, WebSocketServer>();

  const onUpgrade = (request: IncomingMessage, socket: Duplex, head: Buffer): void => {
    const path = new URL(request.url ?? '/', 'http://localhost').pathname;
    const wss = servers.get(path);
    if (wss === undefined) {
      socket.end('HTTP/1.1 404 Not Found\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
      return;
    }
    wss.handleUpgrade(request, socket, head, (ws) => {
      wss.emit('connection', ws, request);
    });
  };

  return {
    register(path, serverOptions = {}) {
      if (servers.has(path)) {
        throw new Error(`WebSocket path ${path} is already registered`);
      }
      const wss = new WebSocketServer({ maxPayload: options.maxPayload, ...serverOptions, noServer: true });
      wss.on('error', (error) => options.log.error({ err: error, path }, 'websocket server error'));
      servers.set(path, wss);
      return wss;
    },
    attach(server) {
      server.on('upgrade', onUpgrade);
    },
    connectionCount() {
      let n = 0;
      for (const wss of servers.values()) {
        n += wss.clients.size;
      }
      return n;
    },
    async close() {
      await Promise.all(
        [...servers.values()].map(
          (wss) =>
            new Promise<void>((resolve) => {
              for (const client of wss.clients) {
                client.close(1001, 'server shutting down');
              }
              // Clients that do not answer the close handshake are cut off.
              const timer = setTimeout(() => {
                for (const client of wss.clients) {
                  client.terminate();
                }
              }, 1_000);
              wss.close(() => {
                clearTimeout(timer);
                resolve();
              });
            }),
        ),
      );
      servers.clear();
    },
  };
}

/**
 * Authenticates an upgrade request: `Authorization: Bearer`, `X-API-Key`, or an
 * `api_key` query parameter (browsers cannot set headers on WebSockets).
 * Returns undefined when no key was sent, null when the key is invalid.
 */
export async function authenticateUpgrade(
  request: IncomingMessage,
  authenticator: Authenticator,
): Promise<Caller | null | undefined> {
  const rawKey =
    extractApiKey(request.headers) ?? new URL(request.url ?? '/', 'http://localhost').searchParams.get('api_key');
  if (rawKey === null || rawKey === '') {
    return undefined;
  }
  return authenticator.authenticate(rawKey);
}
