// /api/v1/cameras/ws/preview?camera_id=N: a camera's picture for the web app's
// /live tiles, one binary WebSocket message per JPEG, a few per second, only
// while the socket is open (FramePreviews encodes nothing for an unwatched
// camera). Auth as elsewhere: the session cookie (browsers), a key header, or
// ?api_key=. A client that reads slowly skips frames: at most one waits unsent.
// WebSocket rather than MJPEG over HTTP so a wall of tiles does not take the
// browser's six HTTP connections per host away from the API.
import type { IncomingMessage } from 'node:http';
import type { WebSocket, WebSocketServer } from 'ws';
import type { Logger } from 'pino';
import type { Authenticator } from '../auth/authenticator.js';
import type { Caller } from '../auth/caller.js';
import { extractApiKey } from '../auth/api-key-crypto.js';
import { can } from '../auth/permissions.js';
import type { SessionAuth } from '../auth/session-auth.js';
import { cameraId as toCameraId } from '../domain/ids.js';
import { NotFoundError } from '../domain/errors.js';
import type { CameraService } from '../services/camera-service.js';

export const CAMERA_PREVIEW_PATH = '/api/v1/cameras/ws/preview';

/** Unsent bytes above which a frame is skipped for that client. */
const MAX_BUFFERED_BYTES = 64 * 1024;

export function serveCameraPreviews(
  wss: WebSocketServer,
  deps: { cameras: CameraService; authenticator: Authenticator; sessions: SessionAuth; log: Logger },
): { dispose(): Promise<void> } {
  const log = deps.log.child({ component: 'camera-preview' });
  const { cameras, sessions } = deps;

  const callerOf = async (request: IncomingMessage, query: URLSearchParams): Promise<Caller | null | undefined> => {
    const rawKey = extractApiKey(request.headers) ?? query.get('api_key');
    if (rawKey !== null && rawKey !== '') {
      return deps.authenticator.authenticate(rawKey);
    }
    return sessions.fromCookieHeader(request.headers.cookie);
  };

  const handle = async (socket: WebSocket, request: IncomingMessage): Promise<void> => {
    const query = new URL(request.url ?? '/', 'http://localhost').searchParams;
    const caller = await callerOf(request, query);
    if (caller === undefined || caller === null) {
      socket.close(4401, caller === undefined ? 'Sign in or send an API key' : 'Invalid or revoked API key or session');
      return;
    }
    if (!can(caller.role, 'cameras:read')) {
      socket.close(4403, `Role ${caller.role} may not cameras:read`);
      return;
    }
    const idText = query.get('camera_id') ?? '';
    if (!/^[1-9]\d{0,9}$/.test(idText)) {
      socket.close(4422, 'camera_id must be a positive integer');
      return;
    }
    try {
      await cameras.get(Number(idText));
    } catch (error) {
      socket.close(error instanceof NotFoundError ? 4404 : 1011, error instanceof NotFoundError ? error.message : 'camera lookup failed');
      return;
    }
    if (socket.readyState !== socket.OPEN) {
      return;
    }
    const unwatch = cameras.previews.watch(toCameraId(Number(idText)), (frame) => {
      if (socket.readyState === socket.OPEN && socket.bufferedAmount <= MAX_BUFFERED_BYTES) {
        socket.send(frame.jpeg, { binary: true });
      }
    });
    socket.on('close', unwatch);
  };

  wss.on('connection', (socket, request) => {
    handle(socket, request).catch((error: unknown) => {
      log.error({ err: error }, 'camera preview failed');
      socket.terminate();
    });
  });
  return { dispose: async () => undefined };
}
