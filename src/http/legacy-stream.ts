// The old service's WebSocket, /api/v1/recognition/ws/stream, for clients not
// yet on GraphQL subscriptions. Per processed frame:
//   {"type":"frame","camera_id","frame_number","timestamp","faces":[{"employee_name",
//    "employee_code","confidence_score","recognition_method","bbox":[x1,y1,x2,y2],"track_id",...}]}
// and {"type":"recognized",...} when a track's identity is decided.
// Auth: ?api_key= or ?token= (browsers cannot set headers) or the usual headers;
// ?camera_id= picks one camera. A client that reads slowly loses frames (never
// decisions, unless far behind): nothing is buffered without bound.
import type { IncomingMessage } from 'node:http';
import type { WebSocket, WebSocketServer } from 'ws';
import { extractApiKey } from '../auth/api-key-crypto.js';
import { can } from '../auth/permissions.js';
import type { FrameEvent, RecognizedEvent } from '../cameras/events.js';
import type { Subscription } from '../events/buffered-subscriptions.js';
import type { LiveEvents } from '../live/live-events.js';
import { cameraId as toCameraId, type CameraId, type EmployeeId } from '../domain/ids.js';
import type { EmployeeDirectory, EmployeeLabel } from '../live/employee-directory.js';
import type { Logger } from 'pino';
import type { Authenticator } from '../auth/authenticator.js';
import type { RevocationHub } from '../auth/revocation.js';
import type { Services } from '../services/create-services.js';

export const LEGACY_STREAM_PATH = '/api/v1/recognition/ws/stream';

/** Above this many unsent bytes, frames are skipped for that client. */
const MAX_BUFFERED_FRAME_BYTES = 256 * 1024;
/** Above this, the client is too far behind even for decisions: it is cut off. */
const MAX_BUFFERED_BYTES = 4 * 1024 * 1024;

/** The old service's name for a face nobody was matched to. */
export const UNKNOWN_NAME = 'Unknown';

export interface LegacyStreamDeps {
  services: Pick<Services, 'employeeDirectory'>;
  live: Pick<LiveEvents, 'frames' | 'recognized'>;
  authenticator: Authenticator;
  revocations: Pick<RevocationHub, 'track'>;
  log: Logger;
}

export function serveLegacyStream(wss: WebSocketServer, deps: LegacyStreamDeps): { dispose(): Promise<void> } {
  const log = deps.log.child({ component: 'legacy-stream' });
  const directory = deps.services.employeeDirectory;
  wss.on('connection', (socket, request) => {
    void handle(socket, request).catch((error: unknown) => {
      log.error({ err: error }, 'legacy stream failed');
      socket.terminate();
    });
  });

  const handle = async (socket: WebSocket, request: IncomingMessage): Promise<void> => {
    const query = new URL(request.url ?? '/', 'http://localhost').searchParams;
    const rawKey = extractApiKey(request.headers) ?? query.get('api_key') ?? query.get('token');
    const caller = rawKey === null || rawKey === '' ? null : await deps.authenticator.authenticate(rawKey);
    if (caller === null) {
      refuse(socket, rawKey === null ? 'Missing API key: pass ?api_key=<key>' : 'Invalid or revoked API key');
      return;
    }
    if (!can(caller.role, 'cameras:read')) {
      refuse(socket, `Role ${caller.role} may not cameras:read`);
      return;
    }
    const cameraText = query.get('camera_id');
    let camera: CameraId | undefined;
    if (cameraText !== null) {
      if (!/^\d+$/.test(cameraText)) {
        refuse(socket, 'camera_id must be a positive integer');
        return;
      }
      camera = toCameraId(Number(cameraText));
    }
    if (socket.readyState !== socket.OPEN) {
      return;
    }
    // Revoked (on any instance): the old service's policy-violation close.
    const untrack = deps.revocations.track(caller.apiKeyId, () => socket.close(1008, 'API key revoked'));
    socket.once('close', untrack);
    const frames = deps.live.frames(camera);
    const recognized = deps.live.recognized(camera, { buffer: 64 });
    socket.on('close', () => {
      frames.close();
      recognized.close();
    });
    socket.on('message', (data, isBinary) => {
      // Old clients send "ping" (plain or JSON) as keep-alive.
      const text = isBinary ? '' : Buffer.isBuffer(data) ? data.toString('utf8') : '';
      if (text === 'ping' || text.includes('"ping"')) {
        send(socket, { type: 'pong', timestamp: new Date().toISOString() });
      }
    });
    send(socket, { type: 'connected', camera_id: camera ?? null, timestamp: new Date().toISOString() });
    await Promise.all([pumpFrames(socket, frames, directory), pumpRecognized(socket, recognized, directory)]);
  };

  return {
    dispose: () => Promise.resolve(),
  };
}

async function pumpFrames(socket: WebSocket, frames: Subscription<FrameEvent>, directory: EmployeeDirectory): Promise<void> {
  for await (const frame of frames) {
    if (socket.bufferedAmount > MAX_BUFFERED_FRAME_BYTES) {
      continue;
    }
    const ids = frame.faces.flatMap((f) => (f.employeeId === null ? [] : [f.employeeId]));
    const labels = ids.length === 0 ? new Map<EmployeeId, EmployeeLabel>() : await directory.lookup(ids);
    send(socket, toFrameMessage(frame, labels));
  }
}

async function pumpRecognized(socket: WebSocket, recognized: Subscription<RecognizedEvent>, directory: EmployeeDirectory): Promise<void> {
  for await (const event of recognized) {
    if (socket.bufferedAmount > MAX_BUFFERED_BYTES) {
      socket.terminate();
      return;
    }
    const label = (await directory.lookup([event.employeeId])).get(event.employeeId);
    send(socket, toRecognizedMessage(event, label));
  }
}

export function toFrameMessage(frame: FrameEvent, labels: ReadonlyMap<EmployeeId, EmployeeLabel>): Record<string, unknown> {
  return {
    type: 'frame',
    camera_id: frame.cameraId,
    frame_number: frame.frameNumber,
    timestamp: new Date(frame.timestamp).toISOString(),
    width: frame.width,
    height: frame.height,
    latency_ms: Math.round(frame.latencyMs * 10) / 10,
    faces: frame.faces.map((face) => {
      const label = face.employeeId === null ? undefined : labels.get(face.employeeId);
      return {
        employee_id: face.employeeId,
        employee_name: label?.fullName ?? UNKNOWN_NAME,
        employee_code: label?.employeeCode ?? null,
        confidence_score: face.confidence ?? 0,
        recognition_method: face.method,
        status: face.status,
        bbox: face.box.map((v) => Math.round(v)),
        track_id: face.trackId,
      };
    }),
  };
}

function toRecognizedMessage(event: RecognizedEvent, label: EmployeeLabel | undefined): Record<string, unknown> {
  return {
    type: 'recognized',
    camera_id: event.cameraId,
    track_id: event.trackId,
    employee_id: event.employeeId,
    employee_name: label?.fullName ?? null,
    employee_code: label?.employeeCode ?? null,
    confidence_score: event.confidence,
    recognition_method: event.method,
    frame_number: event.frameNumber,
    timestamp: new Date(event.at).toISOString(),
    first_seen_at: new Date(event.firstSeenAt).toISOString(),
    bbox: event.box.map((v) => Math.round(v)),
  };
}

function send(socket: WebSocket, message: Record<string, unknown>): void {
  if (socket.readyState === socket.OPEN) {
    socket.send(JSON.stringify(message));
  }
}

/** The old service sent an error message, then closed with 1008 (policy violation). */
function refuse(socket: WebSocket, detail: string): void {
  send(socket, { type: 'error', detail });
  socket.close(1008, detail.slice(0, 120));
}
