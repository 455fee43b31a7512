// The one list of extra WebSocket endpoints (GraphQL's /graphql is wired in
// app.ts). Each entry gets its own ws server on the shared HTTP port, e.g.
//
//   { path: '/api/v1/recognition/ws/stream', setup: (wss, deps) => serveRecognitionStream(wss, deps) }
//
// Authenticate connections with authenticateUpgrade() from websocket-router.ts
// and check permissions with can() from src/auth/permissions.ts.
import type { WebSocketServer } from 'ws';
import type { Logger } from 'pino';
import type { Authenticator } from '../auth/authenticator.js';
import type { RevocationHub } from '../auth/revocation.js';
import type { LiveEvents } from '../live/live-events.js';
import type { Services } from '../services/create-services.js';
import { LEGACY_STREAM_PATH, serveLegacyStream } from './legacy-stream.js';

/** What an endpoint gets: the services, the live topics, the key check, the app's logger. */
export interface WebSocketEndpointDeps {
  services: Services;
  live: LiveEvents;
  authenticator: Authenticator;
  /** Closes a revoked key's connections (src/auth/revocation.ts). */
  revocations: RevocationHub;
  log: Logger;
}

export interface WebSocketEndpoint {
  path: string;
  /** Attaches connection handlers; the returned dispose runs on app stop (after sockets close). */
  setup(wss: WebSocketServer, deps: WebSocketEndpointDeps): { dispose(): Promise<void> } | void;
}

export const websocketEndpoints: WebSocketEndpoint[] = [
  { path: LEGACY_STREAM_PATH, setup: (wss, deps) => serveLegacyStream(wss, deps) },
];
