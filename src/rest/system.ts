// /api/v1/system/*: the health routes stay open (load balancers, kiosks,
// orchestrators' probes); status and info need `system:read`.
import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { AppContext } from '../context.js';
import { HEALTH_PARTS } from '../services/health-checks.js';
import { errorResponses, isoDate } from './common.js';

const healthJson = z.object({
  status: z.enum(['healthy', 'unhealthy']),
  database: z.enum(['up', 'down']),
  uptime_seconds: z.number().int(),
});

const liveJson = z.object({ status: z.literal('alive'), uptime_seconds: z.number().int() });

const partJson = z.object({ ok: z.boolean(), detail: z.string() });
const readyJson = z.object({
  status: z.enum(['ready', 'degraded', 'not_ready']).describe('degraded (200): only the database is away and the outbox takes the check-ins'),
  /** Each part that is not ready, by name. */
  failing: z.array(z.enum(HEALTH_PARTS)),
  checks: z.object({ database: partJson, face_engine: partJson, models: partJson, outbox: partJson }),
  outbox: z
    .object({
      queued: z.number().int(),
      capacity: z.number().int(),
      level: z.enum(['ok', 'warning', 'full']),
      oldest_event_at: z.string().nullable(),
      oldest_age_seconds: z.number().int().nullable(),
      retrying: z.boolean(),
      failing_since: z.string().nullable(),
      dead_lettered: z.number().int(),
    })
    .describe("This instance's attendance outbox: check-ins waiting for the database"),
  uptime_seconds: z.number().int(),
});

const engineJson = z
  .object({
    workers: z.number(),
    busy_workers: z.number(),
    queue_depth: z.number(),
    queue_limit: z.number(),
    tasks_completed: z.number(),
    tasks_failed: z.number(),
    worker_restarts: z.number(),
    latency_ms: z.object({ p50: z.number(), p95: z.number(), max: z.number() }),
  })
  .nullable();

const statusJson = healthJson.extend({
  counts: z.object({
    employees: z.number().int(),
    active_employees: z.number().int(),
    face_templates: z.number().int(),
    attendance_logs: z.number().int(),
    cameras: z.number().int(),
  }),
  engine: engineJson,
  event_bus: z.enum(['memory', 'redis']),
});

const infoJson = z.object({
  name: z.string(),
  version: z.string(),
  node_version: z.string(),
  prisma_version: z.string(),
  database_version: z.string().nullable(),
  environment: z.string(),
  model_pack: z.object({ configured: z.string(), loaded: z.string().nullable(), embedding_size: z.number().nullable() }),
  uptime_seconds: z.number().int(),
  started_at: z.string(),
  instance_id: z.string().describe('This server process among the instances of the deployment'),
  face_engine: z
    .object({
      kind: z.enum(['local', 'queue']),
      workers: z.number().int(),
      worker_processes: z.array(z.object({ id: z.string(), host: z.string(), threads: z.number().int(), jobs: z.number().int() })),
    })
    .nullable(),
  data_dir: z
    .object({ shared_with: z.array(z.string()), not_shared_with: z.array(z.string()) })
    .nullable()
    .describe('Several instances: the live ones that write to this DATA_DIR and those that do not (they must share it: docs/deploy.md); null with one instance'),
  config: z.record(z.string(), z.union([z.string(), z.number(), z.boolean(), z.null()])),
});

export const systemRoutes: FastifyPluginAsyncZod<{ deps: AppContext }> = async (app, { deps }) => {
  app.get('/system/health', {
    config: { auth: 'public' },
    schema: {
      tags: ['system'],
      summary: 'Database health as old clients know it (503 when the database is down); probes use health/live and health/ready',
      response: { 200: healthJson, 503: healthJson },
    },
    handler: async (_request, reply) => {
      const h = await deps.services.system.health();
      return reply
        .status(h.database === 'up' ? 200 : 503)
        .send({ status: h.status, database: h.database, uptime_seconds: h.uptimeSeconds });
    },
  });

  app.get('/system/health/live', {
    config: { auth: 'public' },
    schema: {
      tags: ['system'],
      summary: 'Liveness: 200 whenever the process serves, the database down or not (for liveness probes)',
      response: { 200: liveJson },
    },
    handler: () => ({ status: 'alive' as const, uptime_seconds: deps.services.system.live().uptimeSeconds }),
  });

  app.get('/system/health/ready', {
    config: { auth: 'public' },
    schema: {
      tags: ['system'],
      summary: 'Readiness: database, face engine, recognition models, attendance outbox; 200 ready or degraded (the database alone away, check-ins queued), else 503 naming each failing part',
      response: { 200: readyJson, 503: readyJson },
    },
    handler: async (_request, reply) => {
      const r = await deps.services.system.ready();
      const o = r.outbox;
      return reply.status(r.state === 'not_ready' ? 503 : 200).send({
        status: r.state,
        failing: r.failing,
        checks: r.checks,
        outbox: {
          queued: o.queued,
          capacity: o.capacity,
          level: o.level,
          oldest_event_at: o.oldestEventAt,
          oldest_age_seconds: o.oldestAgeSeconds,
          retrying: o.retrying,
          failing_since: o.failingSince,
          dead_lettered: o.deadLettered,
        },
        uptime_seconds: r.uptimeSeconds,
      });
    },
  });

  app.get('/system/status', {
    config: { auth: 'system:read' },
    schema: {
      tags: ['system'],
      summary: 'Counts, engine statistics, uptime',
      response: { 200: statusJson, ...errorResponses(401, 403) },
    },
    handler: async () => {
      const s = await deps.services.system.status();
      return {
        status: s.status,
        database: s.database,
        uptime_seconds: s.uptimeSeconds,
        counts: {
          employees: s.counts.employees,
          active_employees: s.counts.activeEmployees,
          face_templates: s.counts.faceTemplates,
          attendance_logs: s.counts.attendanceLogs,
          cameras: s.counts.cameras,
        },
        engine:
          s.engine === null
            ? null
            : {
                workers: s.engine.workers,
                busy_workers: s.engine.busyWorkers,
                queue_depth: s.engine.queueDepth,
                queue_limit: s.engine.queueLimit,
                tasks_completed: s.engine.tasksCompleted,
                tasks_failed: s.engine.tasksFailed,
                worker_restarts: s.engine.workerRestarts,
                latency_ms: s.engine.latencyMs,
              },
        event_bus: s.eventBus,
      };
    },
  });

  app.get('/system/info', {
    config: { auth: 'system:read' },
    schema: {
      tags: ['system'],
      summary: 'Versions, configuration without secrets, model pack, uptime',
      response: { 200: infoJson, ...errorResponses(401, 403) },
    },
    handler: async () => {
      const i = await deps.services.system.info();
      return {
        name: i.name,
        version: i.version,
        node_version: i.nodeVersion,
        prisma_version: i.prismaVersion,
        database_version: i.databaseVersion,
        environment: i.environment,
        model_pack: {
          configured: i.modelPack.configured,
          loaded: i.modelPack.loaded,
          embedding_size: i.modelPack.embeddingSize,
        },
        uptime_seconds: i.uptimeSeconds,
        started_at: isoDate(i.startedAt),
        instance_id: i.instanceId,
        face_engine:
          i.faceEngine === null
            ? null
            : { kind: i.faceEngine.kind, workers: i.faceEngine.workers, worker_processes: i.faceEngine.workerProcesses },
        data_dir: i.dataDir === null ? null : { shared_with: i.dataDir.sharedWith, not_shared_with: i.dataDir.notSharedWith },
        config: i.config,
      };
    },
  });
};
