// Health for operators and load balancers. Liveness needs nothing (the process
// answers); readiness names each part a request needs: the database, the face
// engine (ONNX models loaded in its workers), the recognition models
// (templates and classifier read from the database) and the attendance outbox
// (check-ins kept while the database is away). The database answer is
// shared for `ttlMs`, and concurrent callers share one ping, so probes and
// GraphQL `health` cost at most one round trip a second.
//
// Three states: `ready`; `degraded` when the database alone is away but the
// instance still recognizes and its outbox takes the check-ins (a load
// balancer should keep sending kiosks here: nothing is lost, the check-ins are
// written when the database is back); `not_ready` otherwise (no engine, models
// never loaded, the outbox full).
import type { OutboxStatus } from '../attendance/outbox.js';
import type { DatabaseStatus } from '../db/database-status.js';
import type { FaceEngine } from '../engine/face-engine.js';
import type { RecognitionModels } from './recognition-models.js';

export const HEALTH_PARTS = ['database', 'face_engine', 'models', 'outbox'] as const;
export type HealthPart = (typeof HEALTH_PARTS)[number];
export type ReadinessState = 'ready' | 'degraded' | 'not_ready';

export interface PartCheck {
  ok: boolean;
  /** What an operator should know; never an internal error message (the routes are public). */
  detail: string;
}

export interface Readiness {
  state: ReadinessState;
  checks: Record<HealthPart, PartCheck>;
  /** Each part that is not ok (the database while degraded). */
  failing: HealthPart[];
  /** The outbox as it is now: how many check-ins wait for the database, since when. */
  outbox: OutboxStatus & { oldestAgeSeconds: number | null };
}

export interface HealthChecks {
  /** The database answered `SELECT 1` within the timeout (answer reused for ttlMs). */
  database(): Promise<boolean>;
  /** Every part; a not yet loaded gallery is loaded now (bounded by the timeout) when the database is up. */
  readiness(): Promise<Readiness>;
}

export interface HealthDeps {
  database: Pick<DatabaseStatus, 'ping'>;
  faceEngine: Pick<FaceEngine, 'modelId'> | null;
  models: Pick<RecognitionModels, 'ready' | 'status'>;
  /** This instance's attendance outbox. */
  outbox: () => OutboxStatus;
  /** The app's clock (the outbox's event times are on it). */
  clock?: () => Date;
  /** How long a database answer is reused. */
  ttlMs?: number;
  /** A check not done by then counts as failed. */
  timeoutMs?: number;
}

const TIMED_OUT = Symbol('timed out');

/** `work`'s result, or TIMED_OUT after `ms`; the timer never keeps the process alive. */
async function within<T>(work: Promise<T>, ms: number): Promise<T | typeof TIMED_OUT> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<typeof TIMED_OUT>((resolve) => {
    timer = setTimeout(() => resolve(TIMED_OUT), ms);
    timer.unref();
  });
  try {
    return await Promise.race([work, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

export function createHealthChecks(deps: HealthDeps): HealthChecks {
  const ttlMs = deps.ttlMs ?? 1_000;
  const timeoutMs = deps.timeoutMs ?? 2_000;
  // Monotonic: an injected or adjusted wall clock must not freeze or skip the cache.
  let cached: { up: boolean; at: number } | undefined;
  let inFlight: Promise<boolean> | undefined;

  const ping = async (): Promise<boolean> => {
    try {
      return (await within(deps.database.ping(), timeoutMs)) !== TIMED_OUT;
    } catch {
      return false;
    }
  };

  const database = (): Promise<boolean> => {
    if (cached !== undefined && performance.now() - cached.at < ttlMs) {
      return Promise.resolve(cached.up);
    }
    inFlight ??= ping().then((up) => {
      cached = { up, at: performance.now() };
      inFlight = undefined;
      return up;
    });
    return inFlight;
  };

  const modelsCheck = async (databaseUp: boolean): Promise<PartCheck> => {
    if (deps.faceEngine === null) {
      return { ok: false, detail: 'no face engine' };
    }
    if (deps.models.status().loadedAt === null) {
      if (!databaseUp) {
        return { ok: false, detail: 'not loaded: the database is unreachable' };
      }
      // The first load failed or has not finished (the database was down at start): try now.
      const loaded = await within(deps.models.ready().then(() => true, () => false), timeoutMs);
      if (loaded !== true) {
        return { ok: false, detail: loaded === TIMED_OUT ? 'still loading' : 'loading failed; retried on the next check' };
      }
    }
    const s = deps.models.status();
    return { ok: true, detail: `${s.templateCount} templates of ${s.employeeCount} employees, ${s.method}` };
  };

  return {
    database,
    async readiness() {
      const databaseUp = await database();
      const status = deps.outbox();
      const now = (deps.clock?.() ?? new Date()).getTime();
      const outbox = {
        ...status,
        oldestAgeSeconds: status.oldestEventAt === null ? null : Math.max(0, Math.round((now - Date.parse(status.oldestEventAt)) / 1000)),
      };
      const checks: Record<HealthPart, PartCheck> = {
        database: databaseUp ? { ok: true, detail: 'up' } : { ok: false, detail: 'unreachable' },
        face_engine:
          deps.faceEngine === null
            ? { ok: false, detail: 'not started: face models missing or unreadable (see the server log)' }
            : { ok: true, detail: deps.faceEngine.modelId },
        models: await modelsCheck(databaseUp),
        outbox: outboxCheck(outbox),
      };
      const failing = HEALTH_PARTS.filter((part) => !checks[part].ok);
      const state: ReadinessState = failing.length === 0 ? 'ready' : failing.length === 1 && failing[0] === 'database' ? 'degraded' : 'not_ready';
      return { state, checks, failing, outbox };
    },
  };
}

/** Queued check-ins are not a failure (the drainer writes them); a full outbox refuses new ones. */
export function outboxCheck(outbox: Readiness['outbox']): PartCheck {
  if (outbox.level === 'full') {
    return { ok: false, detail: `full: ${outbox.queued} check-ins wait for the database, new ones are refused` };
  }
  if (outbox.queued === 0) {
    return { ok: true, detail: 'empty' };
  }
  const age = outbox.oldestAgeSeconds;
  return { ok: true, detail: `${outbox.queued} check-ins wait for the database${age === null ? '' : `, the oldest for ${age} s`}` };
}
