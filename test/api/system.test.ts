// System endpoints on both APIs: health with database readiness, status with
// counts, info with versions and a configuration summary that holds no secret.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp } from '../helpers/test-app.js';
import type { TestApp } from '../helpers/test-app.js';
import { makeEmployee, makeTemplate } from '../helpers/factories.js';
import { HealthDocument, SystemInfoDocument, SystemStatusDocument } from '../graphql/generated.js';
import { maskUrlCredentials } from '../../src/services/system-service.js';

let t: TestApp;

beforeAll(async () => {
  t = await startTestApp({ env: { CAMERA_SOURCE: 'rtsp://cam:hunter2@10.0.0.5/stream' } });
  const e = await makeEmployee(t.db.prisma);
  await makeTemplate(t.db.prisma, e.id);
  await makeEmployee(t.db.prisma, { isActive: false });
});
afterAll(async () => {
  await t?.stop();
});

describe('system', () => {
  it('health: 200 healthy with the database up, on both APIs', async () => {
    const rest = await t.rest<{ status: string; database: string }>('GET', '/api/v1/system/health', { key: null });
    expect(rest.status).toBe(200);
    expect(rest.body).toMatchObject({ status: 'healthy', database: 'up' });
    const gql = await t.gql(HealthDocument, {}, null);
    expect(gql.data?.health).toMatchObject({ status: 'healthy', database: 'up' });
  });

  it('status: counts agree on both APIs', async () => {
    const rest = await t.rest<{ counts: Record<string, number>; engine: unknown; event_bus: string }>('GET', '/api/v1/system/status');
    // CAMERA_SOURCE is saved as camera 'default' at start.
    expect(rest.body.counts).toEqual({ employees: 2, active_employees: 1, face_templates: 1, attendance_logs: 0, cameras: 1 });
    // buildApp starts the real face engine (models/faceplugin) and reports its pool.
    expect(rest.body.engine).toMatchObject({ workers: t.config.WORKER_POOL_SIZE, queue_limit: t.config.WORKER_QUEUE_LIMIT });
    expect(rest.body.event_bus).toBe('memory');
    const gql = await t.gql(SystemStatusDocument, {});
    expect(gql.data?.systemStatus.counts).toEqual({ employees: 2, activeEmployees: 1, faceTemplates: 1, attendanceLogs: 0, cameras: 1 });
  });

  it('info: versions and config, with secrets left out and URL credentials masked', async () => {
    const rest = await t.rest<Record<string, unknown> & { config: Record<string, unknown> }>('GET', '/api/v1/system/info');
    expect(rest.status).toBe(200);
    expect(rest.body).toMatchObject({ name: 'face-attendance', node_version: process.version, environment: 'test' });
    expect(String(rest.body.database_version)).toMatch(/MariaDB|^\d+\./);
    expect(rest.body.config).toMatchObject({ PORT: 0, RECOGNITION_THRESHOLD: t.config.RECOGNITION_THRESHOLD });
    const text = JSON.stringify(rest.body);
    expect(text).not.toContain(t.config.SECRET_KEY);
    expect(text).not.toContain(t.adminKey);
    expect(text).not.toContain('hunter2');
    expect(rest.body.config).not.toHaveProperty('SECRET_KEY');
    expect(rest.body.config.CAMERA_SOURCE).toBe('rtsp://cam:***@10.0.0.5/stream');

    const gql = await t.gql(SystemInfoDocument, {});
    expect(gql.data?.systemInfo.modelPack.configured).toBe(t.config.MODEL_PACK);
    expect(JSON.stringify(gql.data)).not.toContain(t.config.SECRET_KEY);
  });

  it('masks credentials in URLs only', () => {
    expect(maskUrlCredentials('mysql://root:pw@db:3306/x')).toBe('mysql://root:***@db:3306/x');
    expect(maskUrlCredentials('mysql://root@db:3306/x')).toBe('mysql://root@db:3306/x');
    expect(maskUrlCredentials('/dev/video0')).toBe('/dev/video0');
  });
});
