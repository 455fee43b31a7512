// health (open), systemStatus and systemInfo: the same data as /api/v1/system/*.
import { builder } from './builder.js';
import type { Health, SystemInfo, SystemStatus } from '../services/system-service.js';
import { systemResolvers as r } from '../resolvers/system.js';
import type { EngineDescription, EngineStats } from '../engine/face-engine.js';

const HealthRef = builder.objectRef<Health>('Health').implement({
  fields: (t) => ({
    status: t.exposeString('status', { description: 'healthy | unhealthy' }),
    database: t.exposeString('database', { description: 'up | down' }),
    uptimeSeconds: t.exposeInt('uptimeSeconds'),
  }),
});

const LatencyRef = builder.objectRef<EngineStats['latencyMs']>('EngineLatency').implement({
  fields: (t) => ({
    p50: t.exposeFloat('p50'),
    p95: t.exposeFloat('p95'),
    max: t.exposeFloat('max'),
  }),
});

const EngineStatsRef = builder.objectRef<EngineStats>('EngineStats').implement({
  fields: (t) => ({
    workers: t.exposeInt('workers'),
    busyWorkers: t.exposeInt('busyWorkers'),
    queueDepth: t.exposeInt('queueDepth'),
    queueLimit: t.exposeInt('queueLimit'),
    tasksCompleted: t.exposeInt('tasksCompleted'),
    tasksFailed: t.exposeInt('tasksFailed'),
    workerRestarts: t.exposeInt('workerRestarts'),
    latencyMs: t.field({ type: LatencyRef, resolve: (s) => s.latencyMs }),
  }),
});

const CountsRef = builder.objectRef<SystemStatus['counts']>('SystemCounts').implement({
  fields: (t) => ({
    employees: t.exposeInt('employees'),
    activeEmployees: t.exposeInt('activeEmployees'),
    faceTemplates: t.exposeInt('faceTemplates'),
    attendanceLogs: t.exposeInt('attendanceLogs'),
    cameras: t.exposeInt('cameras'),
  }),
});

const SystemStatusRef = builder.objectRef<SystemStatus>('SystemStatus').implement({
  fields: (t) => ({
    status: t.exposeString('status'),
    database: t.exposeString('database'),
    uptimeSeconds: t.exposeInt('uptimeSeconds'),
    counts: t.field({ type: CountsRef, resolve: (s) => s.counts }),
    engine: t.field({ type: EngineStatsRef, nullable: true, resolve: (s) => s.engine }),
    eventBus: t.exposeString('eventBus'),
  }),
});

const ModelPackRef = builder.objectRef<SystemInfo['modelPack']>('ModelPackInfo').implement({
  fields: (t) => ({
    configured: t.exposeString('configured'),
    loaded: t.exposeString('loaded', { nullable: true }),
    embeddingSize: t.exposeInt('embeddingSize', { nullable: true }),
  }),
});

const EngineKindEnum = builder.enumType('FaceEngineKind', {
  description: 'local: worker threads in the server process; queue: jobs on Redis for `npm run worker` processes.',
  values: ['local', 'queue'] as const,
});

const WorkerProcessRef = builder.objectRef<EngineDescription['workerProcesses'][number]>('FaceWorkerProcess').implement({
  fields: (t) => ({
    id: t.exposeString('id'),
    host: t.exposeString('host'),
    threads: t.exposeInt('threads'),
    jobs: t.exposeInt('jobs', { description: 'Jobs it answered for this instance.' }),
  }),
});

const EngineDescriptionRef = builder.objectRef<EngineDescription>('FaceEngineInfo').implement({
  fields: (t) => ({
    kind: t.field({ type: EngineKindEnum, resolve: (d) => d.kind }),
    workers: t.exposeInt('workers', { description: 'Threads running the face pipeline (of every live worker process for queue).' }),
    workerProcesses: t.field({ type: [WorkerProcessRef], resolve: (d) => d.workerProcesses }),
  }),
});

const SystemInfoRef = builder.objectRef<SystemInfo>('SystemInfo').implement({
  fields: (t) => ({
    name: t.exposeString('name'),
    version: t.exposeString('version'),
    nodeVersion: t.exposeString('nodeVersion'),
    prismaVersion: t.exposeString('prismaVersion'),
    databaseVersion: t.exposeString('databaseVersion', { nullable: true }),
    environment: t.exposeString('environment'),
    modelPack: t.field({ type: ModelPackRef, resolve: (i) => i.modelPack }),
    uptimeSeconds: t.exposeInt('uptimeSeconds'),
    startedAt: t.expose('startedAt', { type: 'DateTime' }),
    instanceId: t.exposeString('instanceId', { description: 'This server process among the instances of the deployment (stable while it runs).' }),
    faceEngine: t.field({ type: EngineDescriptionRef, nullable: true, resolve: (i) => i.faceEngine }),
    dataDirNotSharedWith: t.stringList({
      nullable: true,
      description: 'Several instances: live instances whose DATA_DIR is another folder (it must be shared: docs/deploy.md); null with one instance',
      resolve: (i) => i.dataDir?.notSharedWith ?? null,
    }),
    config: t.field({ type: 'JSON', description: 'Settings without secrets.', resolve: (i) => i.config }),
  }),
});

builder.queryFields((t) => ({
  health: t.field({
    type: HealthRef,
    authScopes: { public: true },
    resolve: (_root, _args, ctx) => r.health(ctx),
  }),
  systemStatus: t.field({
    type: SystemStatusRef,
    authScopes: { permission: 'system:read' },
    resolve: (_root, _args, ctx) => r.systemStatus(ctx),
  }),
  systemInfo: t.field({
    type: SystemInfoRef,
    authScopes: { permission: 'system:read' },
    resolve: (_root, _args, ctx) => r.systemInfo(ctx),
  }),
}));
