// Item 6 of the trust issue: input edges. Every string is held to its column's
// width before anything is written (REST 422, GraphQL ValidationError); camera
// sources are devices, rtsp/rtsps/http/https streams, or files inside
// CAMERA_MEDIA_DIRS only; credentials are masked wherever a source is shown;
// the capture process gets none of the server's secrets; camera errors name no
// host, port or file. Each bad input: its expected error, and the database unchanged.
import { mkdir, mkdtemp, readFile, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { captureEnvironment } from '../../src/cameras/capture-env.js';
import { CameraCapture } from '../../src/cameras/capture.js';
import { makeEmployee } from '../helpers/factories.js';
import type { TestApp } from '../helpers/test-app.js';
import { databaseFingerprint, rawGql, startProductionApp } from './fixture.js';

let t: TestApp;
let media: string;
let employeeId: number;
let cameraId: number;

beforeAll(async () => {
  media = await mkdtemp(join(tmpdir(), 'fa-media-'));
  await mkdir(join(media, 'clips'));
  await writeFile(join(media, 'clips', 'door.mp4'), 'not really a video');
  await symlink('/etc/passwd', join(media, 'clips', 'escape.mp4'));
  t = await startProductionApp({ overrides: { faceEngine: null }, env: { CAMERA_MEDIA_DIRS: join(media, 'clips') } });
  employeeId = (await makeEmployee(t.db.prisma, { fullName: 'Edge Case', employeeCode: 'EDGE-1' })).id;
  const camera = await t.rest<{ id: number }>('POST', '/api/v1/cameras', { body: { name: 'edge-cam', source: '0', enabled: false } });
  cameraId = camera.body.id;
}, 60_000);
afterAll(() => t?.stop());

const long = (n: number, c = 'x'): string => c.repeat(n);
const gqlString = (s: string): string => JSON.stringify(s);

type Probe = { what: string; send: () => Promise<{ status: number; text: string }>; expect: RegExp | number };

const rest = (method: string, route: string, body?: unknown) => async () => {
  const res = await t.rest(method, route, body === undefined ? {} : { body });
  return { status: res.status, text: JSON.stringify(res.body) };
};
const gql = (query: string) => async () => {
  const res = await rawGql(t, query);
  return { status: res.status, text: res.text };
};

const probes: Probe[] = [
  // Lengths: the column widths of prisma/schema.prisma.
  { what: 'GraphQL eraseEmployee reason of 600 characters (AuditLog.reason 512)', send: () => gql(`mutation { eraseEmployee(id: ${employeeId}, reason: ${gqlString(long(600))}) { __typename ... on ValidationError { issues { path } } } }`)(), expect: /"ValidationError".*reason/ },
  { what: 'REST erase reason of 600 characters', send: () => rest('DELETE', `/api/v1/employees/${employeeId}?erase=true&reason=${long(600)}`)(), expect: 422 },
  { what: 'GraphQL createEmployee code of 65 (VARCHAR 64)', send: () => gql(`mutation { createEmployee(input: { employeeCode: ${gqlString(long(65))}, fullName: "A" }) { __typename } }`)(), expect: /ValidationError/ },
  { what: 'GraphQL createEmployee name of 256 (VARCHAR 255)', send: () => gql(`mutation { createEmployee(input: { employeeCode: "N-1", fullName: ${gqlString(long(256))} }) { __typename } }`)(), expect: /ValidationError/ },
  { what: 'GraphQL createEmployee email of 260', send: () => gql(`mutation { createEmployee(input: { employeeCode: "N-2", fullName: "A", email: ${gqlString(`${long(250)}@example.com`)} }) { __typename } }`)(), expect: /ValidationError/ },
  { what: 'GraphQL createEmployee department of 129 (VARCHAR 128)', send: () => gql(`mutation { createEmployee(input: { employeeCode: "N-3", fullName: "A", department: ${gqlString(long(129))} }) { __typename } }`)(), expect: /ValidationError/ },
  { what: 'GraphQL updateEmployee name of 256', send: () => gql(`mutation { updateEmployee(id: ${employeeId}, input: { fullName: ${gqlString(long(256))} }) { __typename } }`)(), expect: /ValidationError/ },
  { what: 'REST create employee code of 65', send: rest('POST', '/api/v1/employees', { employee_code: long(65), full_name: 'A' }), expect: 422 },
  { what: 'REST update employee name of 256', send: () => rest('PUT', `/api/v1/employees/${employeeId}`, { full_name: long(256) })(), expect: 422 },
  { what: 'REST create employee department of 129', send: rest('POST', '/api/v1/employees', { employee_code: 'N-4', full_name: 'A', department: long(129) }), expect: 422 },
  { what: 'GraphQL createApiKey name of 129 (VARCHAR 128)', send: () => gql(`mutation { createApiKey(input: { name: ${gqlString(long(129))}, role: viewer }) { __typename } }`)(), expect: /ValidationError/ },
  { what: 'REST create API key name of 129', send: rest('POST', '/api/v1/auth/keys', { name: long(129), role: 'viewer' }), expect: 422 },
  { what: 'REST create API key with an unknown role', send: rest('POST', '/api/v1/auth/keys', { name: 'k', role: 'root' }), expect: 422 },
  { what: 'REST create camera name of 129', send: rest('POST', '/api/v1/cameras', { name: long(129), source: '0' }), expect: 422 },
  { what: 'REST create camera source of 1025 (VARCHAR 1024)', send: rest('POST', '/api/v1/cameras', { name: 'long-src', source: `rtsp://h/${long(1020)}` }), expect: 422 },
  { what: 'REST attendance correction reason of 513', send: () => rest('POST', '/api/v1/attendance/logs', { employee_id: employeeId, check_in_time: '2026-01-05T08:00:00Z', reason: long(513) })(), expect: 422 },
  { what: 'REST attendance correction with an empty reason', send: () => rest('POST', '/api/v1/attendance/logs', { employee_id: employeeId, check_in_time: '2026-01-05T08:00:00Z', reason: '' })(), expect: 422 },
  { what: 'GraphQL addAttendanceLog reason of 513', send: () => gql(`mutation { addAttendanceLog(input: { employeeId: ${employeeId}, at: "2026-01-05T08:00:00Z", reason: ${gqlString(long(513))} }) { __typename } }`)(), expect: /ValidationError/ },
  { what: 'REST enrollment start with a code of 65', send: rest('POST', '/api/v1/employees/register/start', { employee_code: long(65), full_name: 'A' }), expect: /422|503/ },
  // Camera sources.
  { what: 'camera file source /etc/shadow', send: rest('POST', '/api/v1/cameras', { name: 'shadow', source: '/etc/shadow' }), expect: /CAMERA_MEDIA_DIRS/ },
  { what: 'camera file source ../.env', send: rest('POST', '/api/v1/cameras', { name: 'dotenv', source: '../.env' }), expect: /CAMERA_MEDIA_DIRS/ },
  { what: 'camera file:// URL outside the media folders', send: rest('POST', '/api/v1/cameras', { name: 'file-url', source: 'file:///etc/passwd' }), expect: /CAMERA_MEDIA_DIRS/ },
  { what: 'camera path escaping a media folder with ..', send: () => rest('POST', '/api/v1/cameras', { name: 'dotdot', source: join(media, 'clips', '..', '..', 'etc', 'passwd') })(), expect: /CAMERA_MEDIA_DIRS/ },
  { what: 'camera symlink inside a media folder pointing out of it', send: () => rest('POST', '/api/v1/cameras', { name: 'symlink', source: join(media, 'clips', 'escape.mp4') })(), expect: /CAMERA_MEDIA_DIRS/ },
  { what: 'camera ftp:// source', send: rest('POST', '/api/v1/cameras', { name: 'ftp', source: 'ftp://10.0.0.1/cam' }), expect: /unsupported URL scheme/ },
  { what: 'camera gopher:// source', send: rest('POST', '/api/v1/cameras', { name: 'gopher', source: 'gopher://10.0.0.1:70/' }), expect: /unsupported URL scheme/ },
  { what: 'camera javascript: source', send: rest('POST', '/api/v1/cameras', { name: 'js', source: 'javascript:alert(1)' }), expect: /unsupported URL scheme/ },
  { what: 'camera update to /etc/shadow', send: () => rest('PUT', `/api/v1/cameras/${cameraId}`, { source: '/etc/shadow' })(), expect: /CAMERA_MEDIA_DIRS/ },
  { what: 'GraphQL createCamera with /etc/passwd', send: () => gql('mutation { createCamera(input: { name: "g-passwd", source: "/etc/passwd" }) { __typename ... on ValidationError { message } } }')(), expect: /ValidationError.*CAMERA_MEDIA_DIRS/ },
  { what: 'camera predict interval 0', send: rest('POST', '/api/v1/cameras', { name: 'pi0', source: '0', predict_interval: 0 }), expect: 422 },
];

describe('bad inputs: the expected error, nothing changed', () => {
  it('has at least 25 probes', () => {
    expect(probes.length).toBeGreaterThanOrEqual(25);
  });

  it.each(probes.map((p) => [p.what, p] as const))('%s', async (_what, probe) => {
    const before = await databaseFingerprint(t.db.prisma);
    const res = await probe.send();
    if (typeof probe.expect === 'number') {
      expect(res.status, res.text).toBe(probe.expect);
    } else {
      expect(`${res.status} ${res.text}`).toMatch(probe.expect);
      expect(res.status).not.toBe(500);
    }
    expect(res.text).not.toMatch(/Unexpected error|Internal Server Error|prisma|stack/i);
    expect(await databaseFingerprint(t.db.prisma)).toEqual(before);
  });
});

describe('camera sources that are allowed', () => {
  it('a file inside CAMERA_MEDIA_DIRS, a device, rtsp/rtsps/http/https streams', async () => {
    for (const [name, source] of [
      ['media-file', join(media, 'clips', 'door.mp4')],
      ['device', '1'],
      ['rtsp', 'rtsp://cam.local/stream'],
      ['rtsps', 'rtsps://cam.local/stream'],
      ['http', 'http://cam.local/mjpeg'],
      ['https', 'https://cam.local/mjpeg'],
    ] as const) {
      const res = await t.rest('POST', '/api/v1/cameras', { body: { name, source, enabled: false } });
      expect(res.status, `${name}: ${JSON.stringify(res.body)}`).toBe(201);
    }
  });
});

describe('credentials are masked wherever a source is shown', () => {
  it('REST, GraphQL, camera info and the audit row show neither user, password nor token', async () => {
    const secret = 'rtsp://admin:hunter2@cam.local:554/live?token=abc123&channel=1';
    const created = await t.rest<{ id: number; source: string }>('POST', '/api/v1/cameras', { body: { name: 'masked', source: secret, enabled: false } });
    expect(created.status).toBe(201);
    const shown = [
      JSON.stringify(created.body),
      JSON.stringify((await t.rest('GET', `/api/v1/cameras/${created.body.id}`)).body),
      JSON.stringify((await t.rest('GET', '/api/v1/cameras')).body),
      JSON.stringify((await t.rest('GET', `/api/v1/recognition/camera/info?camera_id=${created.body.id}`)).body),
      (await rawGql(t, `{ cameras { source } cameraInfo(cameraId: ${created.body.id}) { source } }`)).text,
      JSON.stringify(await t.db.prisma.auditLog.findMany({ where: { entityType: 'camera', entityId: String(created.body.id) } })),
    ];
    for (const text of shown) {
      expect(text).not.toContain('hunter2');
      expect(text).not.toContain('abc123');
      expect(text).not.toContain('admin:');
    }
    expect(created.body.source).toBe('rtsp://***:***@cam.local:554/live?token=***&channel=1');
  });
});

describe('the capture process and its errors', () => {
  it('its environment holds only what it needs', () => {
    const env = captureEnvironment({
      PATH: '/usr/bin',
      HOME: '/home/app',
      DATABASE_URL: 'mysql://root:pw@db/x',
      SECRET_KEY: 's',
      TEMPLATE_ENCRYPTION_KEY: 'k',
      ADMIN_API_KEY: 'a',
      REDIS_URL: 'redis://:pw@r',
      AWS_SECRET_ACCESS_KEY: 'aws',
      OPENCV_FFMPEG_CAPTURE_OPTIONS: 'rtsp_transport;tcp',
    });
    expect(env).toEqual({ PATH: '/usr/bin', HOME: '/home/app', OPENCV_FFMPEG_CAPTURE_OPTIONS: 'rtsp_transport;tcp' });
  });

  it('a running capture process has no secret in its environment, and its error names no host or port', async () => {
    // Secrets in the server's own environment, as a real deployment has them.
    const saved = process.env.SECRET_KEY;
    process.env.SECRET_KEY = 'probe-secret-in-server-env';
    const logged: string[] = [];
    const capture = new CameraCapture(
      { source: { kind: 'rtsp', url: 'rtsp://10.0.0.77:1/hidden-path' }, backoff: { initialMs: 200, maxMs: 400, factor: 2, jitter: 0 }, onLog: (line) => logged.push(line) },
      { onFrame: (_f, release) => release() },
    );
    try {
      capture.start();
      const pid = capture.pid;
      expect(pid).toBeDefined();
      const environ = await readFile(`/proc/${pid}/environ`, 'utf8');
      expect(environ).not.toContain('probe-secret-in-server-env');
      expect(environ).not.toMatch(/DATABASE_URL|TEMPLATE_ENCRYPTION_KEY|ADMIN_API_KEY/);
      for (let i = 0; i < 200 && capture.state.kind !== 'reconnecting'; i++) {
        await new Promise((r) => setTimeout(r, 100));
      }
      const state = capture.state;
      expect(state.kind).toBe('reconnecting');
      const error = state.kind === 'reconnecting' ? state.error : '';
      expect(error).not.toMatch(/10\.0\.0\.77|hidden-path|:1\b|refused|timed out|No such file/i);
    } finally {
      await capture.stop();
      if (saved === undefined) {
        delete process.env.SECRET_KEY;
      } else {
        process.env.SECRET_KEY = saved;
      }
    }
  }, 40_000);
});
