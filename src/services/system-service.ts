// Health (open: liveness, readiness, the old database health), status (counts,
// engine, uptime) and info (versions, config without secrets, model pack). REST
// and GraphQL both serve these.
import { readFileSync } from 'node:fs';
import type { Config } from '../config.js';
import type { DatabaseStatus, RowCounts } from '../db/database-status.js';
import type { EngineDescription, EngineStats, FaceEngine } from '../engine/face-engine.js';
import type { InstanceId } from '../cluster/instance-id.js';
import type { DataDirSharing } from '../cluster/data-dir-sharing.js';
import { createHealthChecks } from './health-checks.js';
import type { HealthChecks, HealthDeps, Readiness } from './health-checks.js';

export interface SystemDeps {
  database: DatabaseStatus;
  /** All of it: systemInfo lists every setting except secrets. */
  config: Config;
  clock: () => Date;
  faceEngine: Pick<FaceEngine, 'stats' | 'modelId' | 'embeddingSize' | 'describe'> | null;
  startedAt: Date;
  eventBusKind: 'memory' | 'redis';
  instanceId: InstanceId;
  /** Readiness reports (and completes) their loading. */
  models: HealthDeps['models'];
  /** Readiness shows this instance's attendance outbox. */
  outbox: HealthDeps['outbox'];
  /** Several instances: which of them share this DATA_DIR (absent: one instance). */
  dataDirSharing?: () => Promise<DataDirSharing>;
}

export interface SystemService {
  /** Open: the database health old clients know (answer cached for a second). */
  health(): Promise<Health>;
  /** Open: the process serves; nothing else is checked. */
  live(): { uptimeSeconds: number };
  /** Open: database, face engine, recognition models, outbox, each named when failing; degraded while only the database is away. */
  ready(): Promise<Readiness & { uptimeSeconds: number }>;
  /** The database answered within the last second (cached; at most one ping a second). */
  databaseUp(): Promise<boolean>;
  status(): Promise<SystemStatus>;
  info(): Promise<SystemInfo>;
}

export function createSystemService(deps: SystemDeps): SystemService {
  const checks = createHealthChecks({ database: deps.database, faceEngine: deps.faceEngine, models: deps.models, outbox: deps.outbox, clock: deps.clock });
  return {
    health: () => getHealth(deps, checks),
    live: () => ({ uptimeSeconds: uptimeSeconds(deps) }),
    ready: async () => ({ ...(await checks.readiness()), uptimeSeconds: uptimeSeconds(deps) }),
    databaseUp: () => checks.database(),
    status: () => getSystemStatus(deps, checks),
    info: () => getSystemInfo(deps),
  };
}

const packageJson = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as {
  name: string;
  version: string;
};

export interface Health {
  status: 'healthy' | 'unhealthy';
  database: 'up' | 'down';
  uptimeSeconds: number;
}

export interface SystemStatus {
  status: 'healthy' | 'unhealthy';
  database: 'up' | 'down';
  uptimeSeconds: number;
  counts: RowCounts;
  engine: EngineStats | null;
  eventBus: 'memory' | 'redis';
}

export interface SystemInfo {
  name: string;
  version: string;
  nodeVersion: string;
  prismaVersion: string;
  databaseVersion: string | null;
  environment: Config['NODE_ENV'];
  modelPack: { configured: string; loaded: string | null; embeddingSize: number | null };
  uptimeSeconds: number;
  startedAt: Date;
  /** This process among the instances of the deployment. */
  instanceId: InstanceId;
  /** Which face engine serves this instance and how many workers it has; null without models. */
  faceEngine: EngineDescription | null;
  /** Several instances: the live ones that write to this DATA_DIR and those that do not (null: one instance, or Redis unreachable). */
  dataDir: DataDirSharing | null;
  /** Every setting except secrets; credentials inside URLs are masked. */
  config: Record<string, string | number | boolean | null>;
}

function uptimeSeconds(deps: Pick<SystemDeps, 'clock' | 'startedAt'>): number {
  return Math.max(0, Math.round((deps.clock().getTime() - deps.startedAt.getTime()) / 1000));
}

async function getHealth(deps: Pick<SystemDeps, 'clock' | 'startedAt'>, checks: HealthChecks): Promise<Health> {
  const up = await checks.database();
  return { status: up ? 'healthy' : 'unhealthy', database: up ? 'up' : 'down', uptimeSeconds: uptimeSeconds(deps) };
}

async function getSystemStatus(deps: SystemDeps, checks: HealthChecks): Promise<SystemStatus> {
  const health = await getHealth(deps, checks);
  const counts: RowCounts =
    health.database === 'up' ? await deps.database.counts() : { employees: 0, activeEmployees: 0, faceTemplates: 0, attendanceLogs: 0, cameras: 0 };
  return { ...health, counts, engine: deps.faceEngine?.stats() ?? null, eventBus: deps.eventBusKind };
}

async function getSystemInfo(deps: SystemDeps): Promise<SystemInfo> {
  const databaseVersion = await deps.database.version();
  return {
    name: packageJson.name,
    version: packageJson.version,
    nodeVersion: process.version,
    prismaVersion: deps.database.clientVersion,
    databaseVersion,
    environment: deps.config.NODE_ENV,
    modelPack: {
      configured: deps.config.MODEL_PACK,
      loaded: deps.faceEngine?.modelId ?? null,
      embeddingSize: deps.faceEngine?.embeddingSize ?? null,
    },
    uptimeSeconds: uptimeSeconds(deps),
    startedAt: deps.startedAt,
    instanceId: deps.instanceId,
    faceEngine: describeEngine(deps.faceEngine),
    dataDir: (await deps.dataDirSharing?.().catch(() => null)) ?? null,
    config: publicConfig(deps.config),
  };
}

function describeEngine(engine: SystemDeps['faceEngine']): EngineDescription | null {
  if (engine === null) {
    return null;
  }
  return engine.describe?.() ?? { kind: 'local', workers: engine.stats().workers, workerProcesses: [] };
}

const SECRET_KEYS = new Set<keyof Config>(['SECRET_KEY', 'ADMIN_API_KEY', 'METRICS_TOKEN']);

export function publicConfig(config: Config): Record<string, string | number | boolean | null> {
  const out: Record<string, string | number | boolean | null> = {};
  for (const [key, value] of Object.entries(config) as [keyof Config, unknown][]) {
    if (SECRET_KEYS.has(key)) {
      continue;
    }
    if (value === undefined || value === null) {
      out[key] = null;
    } else if (typeof value === 'string') {
      out[key] = maskUrlCredentials(value);
    } else if (typeof value === 'number' || typeof value === 'boolean') {
      out[key] = value;
    } else {
      out[key] = JSON.stringify(value);
    }
  }
  return out;
}

/** mysql://user:pass@host/db → mysql://user:***@host/db (also rtsp:// camera URLs). */
export function maskUrlCredentials(value: string): string {
  return value.replace(/^([a-z][a-z0-9+.-]*:\/\/)([^/@:]*)(:[^/@]*)?@/i, (_m, scheme: string, user: string, pass?: string) =>
    `${scheme}${user}${pass === undefined ? '' : ':***'}@`,
  );
}
