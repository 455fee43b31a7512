// Enrollment service: live guided sessions (start, frames with instant
// feedback, completion) and enrollment from still photos. GraphQL fields and
// REST routes both call it; the decisions live in src/enrollment/*.
//
// Lifecycle: start writes an EnrollmentSession row (active, expiresAt) and
// keeps the coverage state in memory. Nothing else is written until
// completion, which stores the Employee (if new), the templates and the
// session's end in one transaction: an abandoned or refused session leaves no
// employee and no templates. A scheduled sweep (src/services/create-services.ts)
// expires sessions past their TTL.
import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import type { Logger } from 'pino';
import type { Config } from '../config.js';
import type { EventPublisher } from '../events/event-bus.js';
import type { Caller } from '../auth/caller.js';
import { can } from '../auth/permissions.js';
import {
  DuplicateEmployeeCodeError,
  EmployeeNotFoundError,
  ForbiddenError,
  PayloadTooLargeError,
  ValidationError,
  validationErrorFromZod,
} from '../domain/errors.js';
import { employeeId as toEmployeeId, type EmployeeId } from '../domain/ids.js';
import { InvalidImageError } from '../engine/engine-errors.js';
import { requireFaceEngine } from '../engine/require-face-engine.js';
import type { FaceEngine } from '../engine/face-engine.js';
import { planPhotoEnrollment, planSessionCompletion } from '../enrollment/completion.js';
import { coverageSummary, createCoverage, mergeCoverageParams, type CoverageSummary } from '../enrollment/coverage.js';
import { checkDuplicateIdentity, defaultDuplicateThreshold, duplicateMessage } from '../enrollment/duplicate-identity.js';
import {
  DuplicateIdentityError,
  EnrollmentSessionClosedError,
  EnrollmentSessionExpiredError,
  EnrollmentSessionNotFoundError,
  InconsistentIdentityError,
  InsufficientCoverageError,
  PhotosRejectedError,
} from '../enrollment/enrollment-errors.js';
import type { FrameFeedback } from '../enrollment/feedback-types.js';
import { evaluateFrame, type FrameInput } from '../enrollment/frame-feedback.js';
import type { FrameCandidate } from '../enrollment/coverage.js';
import type { DroppedFrame } from '../enrollment/frame-selection.js';
import { analyzeWithPaddedRetry } from '../vision/padded-analysis.js';
import type { AnalyzeOptions, FrameAnalysis } from '../vision/types.js';
import { evaluatePhoto, type PhotoVerdict } from '../enrollment/photo-verdict.js';
import type { EnrollmentProgressEvent, EnrollmentSessionStatus } from '../enrollment/progress-event.js';
import type { Employee, EnrollmentSession, PrismaClient } from '../generated/prisma/client.js';
import { writeAudit } from '../audit/audit-repository.js';
import { employeeFieldSchemas } from './employee-service.js';
import { buildTemplates, countTemplates, type TemplateCounts } from '../enrollment/template-builder.js';
import type { SessionRepository } from '../enrollment/session-repository.js';
import { chainStep, SessionStore, type LiveSession, type PendingEmployee } from '../enrollment/session-store.js';
import { replaceTemplatesInTx } from '../recognition/template-repository.js';
import type { RecognitionModels } from './recognition-models.js';
import type { TrainingService } from './training-service.js';

export type StartEnrollmentInput =
  | { employee: { employeeCode: string; fullName: string; email?: string | null; department?: string | null } }
  | { employeeId: number };

/** What the APIs show of a session (live data while it is in memory). */
export interface EnrollmentSessionView {
  id: string;
  status: EnrollmentSessionStatus;
  employeeId: number | null;
  pendingEmployee: PendingEmployee | null;
  frameCount: number;
  coverage: CoverageSummary | null;
  failureReason: string | null;
  createdAt: Date;
  expiresAt: Date;
  completedAt: Date | null;
}

export interface EnrollmentResult {
  sessionId: string | null;
  employee: Employee;
  created: boolean;
  templates: TemplateCounts;
  coverage: CoverageSummary | null;
  keptFrames: number[];
  dropped: DroppedFrame[];
}

export interface PhotoEnrollmentResult extends EnrollmentResult {
  photos: { index: number; ok: boolean; sector: string | null; qualityScore: number }[];
}

export interface EnrollmentService {
  /** Marks sessions left active by a previous run as expired. */
  start(): Promise<void>;
  /** Forgets the live sessions (their rows expire on the next start). */
  stop(): void;
  startSession(caller: Caller | null, input: StartEnrollmentInput): Promise<EnrollmentSessionView>;
  submitFrame(caller: Caller | null, sessionId: string, bytes: Uint8Array, meta: { frameNumber: number; timestamp?: number | null }): Promise<FrameFeedback>;
  complete(caller: Caller | null, sessionId: string): Promise<EnrollmentResult>;
  cancel(caller: Caller | null, sessionId: string): Promise<EnrollmentSessionView>;
  getSession(caller: Caller | null, sessionId: string): Promise<EnrollmentSessionView>;
  enrollFromPhotos(caller: Caller | null, employeeId: number, photos: readonly Uint8Array[]): Promise<PhotoEnrollmentResult>;
  /** Expires sessions past their TTL now; returns how many. */
  sweep(): Promise<number>;
  readonly liveSessions: number;
}

export const MAX_PHOTOS = 20;
const SWEEP_INTERVAL_MS = 15_000;

/** How often expired sessions are swept: every 15 s, or half the TTL when that is shorter. */
export function enrollmentSweepIntervalMs(config: Pick<Config, 'ENROLLMENT_SESSION_TTL_SECONDS'>): number {
  return Math.min(SWEEP_INTERVAL_MS, config.ENROLLMENT_SESSION_TTL_SECONDS * 500);
}

const newEmployeeSchema = z.object({
  employeeCode: employeeFieldSchemas.employeeCode,
  fullName: employeeFieldSchemas.fullName,
  email: employeeFieldSchemas.email.optional(),
  department: employeeFieldSchemas.department.optional(),
});

function isUniqueViolation(error: unknown): boolean {
  return typeof error === 'object' && error !== null && (error as { code?: unknown }).code === 'P2002';
}

export interface EnrollmentServiceDeps {
  /** Employees (lookups, creation on completion) and the completion transaction. */
  prisma: PrismaClient;
  config: Pick<
    Config,
    | 'ENROLLMENT_SESSION_TTL_SECONDS'
    | 'ENROLLMENT_RING_SECTORS'
    | 'ENROLLMENT_MIN_FRAMES_PER_SECTOR'
    | 'RECOGNITION_THRESHOLD'
    | 'AUGMENTATION_COUNT'
  >;
  log: Logger;
  clock: () => Date;
  events: EventPublisher;
  faceEngine: FaceEngine | null;
  /** Sessions created before this are from a previous run. */
  startedAt: Date;
  sessions: SessionRepository;
  models: Pick<RecognitionModels, 'bestPerEmployee' | 'refreshEmployee'>;
  training: Pick<TrainingService, 'scheduleAutoRetrain'>;
}

export function createEnrollmentService(deps: EnrollmentServiceDeps): EnrollmentService {
  const log = deps.log.child({ component: 'enrollment' });
  const { config, prisma, sessions } = deps;
  const store = new SessionStore();
  const coverageParams = mergeCoverageParams({
    requirement: { ringMin: config.ENROLLMENT_RING_SECTORS, minFramesPerSector: config.ENROLLMENT_MIN_FRAMES_PER_SECTOR },
  });

  const publish = (event: Omit<EnrollmentProgressEvent, 'at'>): void => {
    deps.events.publish('enrollmentProgress', event.sessionId, { ...event, at: deps.clock().toISOString() });
  };

  /** Kiosks drive only the sessions they started, and only for new employees. */
  const authorize = (caller: Caller | null, session: Pick<LiveSession, 'startedBy'>): void => {
    if (caller !== null && !can(caller.role, 'enrollment:write') && session.startedBy !== caller.apiKeyId) {
      throw new ForbiddenError('This key may only use enrollment sessions it started');
    }
  };

  const toView = (row: EnrollmentSession, live: LiveSession | undefined): EnrollmentSessionView => ({
    id: row.id,
    status: row.status,
    employeeId: row.employeeId,
    pendingEmployee: (row.pendingEmployee ?? null) as PendingEmployee | null,
    frameCount: live?.frameCount ?? row.frameCount,
    coverage: live ? coverageSummary(live.state) : ((row.coverage ?? null) as CoverageSummary | null),
    failureReason: row.failureReason,
    createdAt: row.createdAt,
    expiresAt: row.expiresAt,
    completedAt: row.completedAt,
  });

  /** Ends a live session in the database and memory; false if it had already ended. */
  const close = async (
    live: LiveSession,
    status: Exclude<EnrollmentSessionStatus, 'active' | 'completed'>,
    failureReason: string | null,
  ): Promise<boolean> => {
    store.delete(live.id);
    const ended = await sessions.end(live.id, { status, failureReason, frameCount: live.frameCount, coverage: coverageSummary(live.state) });
    publish({ sessionId: live.id, status, feedback: null, employeeId: null });
    return ended;
  };

  /** The live session, or the typed reason why there is none. */
  const liveSession = async (caller: Caller | null, sessionId: string): Promise<LiveSession> => {
    const live = store.get(sessionId);
    if (live !== undefined) {
      authorize(caller, live);
      if (live.expiresAt.getTime() <= deps.clock().getTime()) {
        await close(live, 'expired', 'session expired');
        throw new EnrollmentSessionExpiredError(sessionId);
      }
      return live;
    }
    const row = await sessions.find(sessionId);
    if (row === null) {
      throw new EnrollmentSessionNotFoundError(sessionId);
    }
    if (row.status === 'expired' || row.status === 'active') {
      // 'active' without memory: the server restarted (or another instance holds it).
      throw new EnrollmentSessionExpiredError(sessionId);
    }
    throw new EnrollmentSessionClosedError(sessionId, row.status);
  };

  /** `photo`: a still (ID badge, passport) may be cropped tight around the face: a padded copy gets a second look. */
  const analyzeFrame = async (engine: FaceEngine, bytes: Uint8Array, photo = false): Promise<FrameInput> => {
    try {
      const analyze = (image: Uint8Array, options: AnalyzeOptions): Promise<FrameAnalysis> => engine.analyze(image, options);
      const analysis = photo ? await analyzeWithPaddedRetry(analyze, bytes, { alignedCrops: true }) : await analyze(bytes, { alignedCrops: true });
      return { kind: 'analysis', analysis };
    } catch (error) {
      // An undecodable or oversized frame is feedback for the kiosk, not a failed request;
      // EngineBusyError (503) and the rest go to the caller as the engine raised them.
      if (error instanceof InvalidImageError || error instanceof PayloadTooLargeError) {
        return { kind: 'invalid_image', message: error.message };
      }
      throw error;
    }
  };

  const duplicateCheck = async (mean: Float32Array, exclude: EmployeeId | undefined): Promise<void> => {
    const decision = await checkDuplicateIdentity(mean, async (e) =>
      (await deps.models.bestPerEmployee(e, 3)).map((m) => ({ employeeId: m.employeeId, similarity: m.score })), {
      threshold: defaultDuplicateThreshold(config.RECOGNITION_THRESHOLD),
      ...(exclude !== undefined ? { excludeEmployeeId: exclude } : {}),
    });
    if (decision.kind === 'duplicate') {
      throw new DuplicateIdentityError(duplicateMessage(decision), decision.employeeId, decision.similarity);
    }
  };

  const afterStore = async (employee: Employee, created: boolean): Promise<void> => {
    deps.events.publish('employeeChanged', { kind: created ? 'created' : 'updated', employeeId: employee.id, at: deps.clock().toISOString() });
    await deps.models
      .refreshEmployee(employee.id)
      .catch((error: unknown) => log.error({ err: error, employeeId: employee.id }, 'gallery refresh after enrollment failed'));
    deps.training.scheduleAutoRetrain();
  };

  const templatesFor = (engine: FaceEngine, frames: FrameCandidate[], mean: Float32Array, seedKey: string, source: string, sessionId: string | null) =>
    buildTemplates(engine, frames, mean, {
      augmentationCount: config.AUGMENTATION_COUNT,
      seedKey,
      source,
      sessionId,
      parallel: engine.stats().workers,
    });

  const service: EnrollmentService = {
    get liveSessions() {
      return store.size;
    },

    async start() {
      // Memory of sessions from a previous run is gone: they cannot complete.
      const count = await sessions.expireLeftActive(deps.startedAt);
      if (count > 0) {
        log.info({ count }, 'expired enrollment sessions left active by a previous run');
      }
    },

    stop() {
      store.clear();
    },

    async sweep() {
      const now = deps.clock();
      let n = 0;
      for (const live of store.expired(now)) {
        if (!live.completing && (await close(live, 'expired', 'session expired'))) {
          n++;
        }
      }
      await sessions.expireOverdue(now, store.ids());
      return n;
    },

    async startSession(caller, input) {
      requireFaceEngine(deps);
      const now = deps.clock();
      let employeeId: EmployeeId | null = null;
      let pending: PendingEmployee | null = null;
      if ('employeeId' in input) {
        if (caller !== null && !can(caller.role, 'enrollment:write')) {
          throw new ForbiddenError(`Role ${caller.role} may not re-enroll an existing employee`);
        }
        const employee = await prisma.employee.findUnique({ where: { id: input.employeeId } });
        if (employee === null || employee.erasedAt !== null) {
          throw new EmployeeNotFoundError(input.employeeId);
        }
        employeeId = toEmployeeId(employee.id);
      } else {
        const parsed = newEmployeeSchema.safeParse(input.employee);
        if (!parsed.success) {
          throw validationErrorFromZod(parsed.error.issues.map((i) => ({ ...i, path: ['employee', ...i.path] })));
        }
        pending = { employeeCode: parsed.data.employeeCode, fullName: parsed.data.fullName, email: parsed.data.email ?? null, department: parsed.data.department ?? null };
        if ((await prisma.employee.count({ where: { employeeCode: pending.employeeCode } })) > 0) {
          throw new DuplicateEmployeeCodeError(pending.employeeCode);
        }
      }
      const id = randomUUID();
      const expiresAt = new Date(now.getTime() + config.ENROLLMENT_SESSION_TTL_SECONDS * 1000);
      const row = await sessions.create({ id, employeeId, pendingEmployee: pending, expiresAt, createdAt: now });
      const live: LiveSession = {
        id,
        employeeId,
        pendingEmployee: pending,
        startedBy: caller?.apiKeyId ?? null,
        createdAt: now,
        expiresAt,
        state: createCoverage(coverageParams),
        frameCount: 0,
        completing: false,
        tail: Promise.resolve(),
      };
      store.add(live);
      log.info({ sessionId: id, employeeId, employeeCode: pending?.employeeCode }, 'enrollment session started');
      return toView(row, live);
    },

    async submitFrame(caller, sessionId, bytes, meta) {
      const engine = requireFaceEngine(deps);
      if (!Number.isInteger(meta.frameNumber) || meta.frameNumber < 0) {
        throw new ValidationError([{ path: ['frameNumber'], message: 'must be a non-negative integer' }]);
      }
      const live = await liveSession(caller, sessionId);
      if (live.completing) {
        throw new EnrollmentSessionClosedError(sessionId, 'active', `Enrollment session ${sessionId} is being completed`);
      }
      const timestamp = meta.timestamp ?? deps.clock().getTime();
      return chainStep(live, analyzeFrame(engine, bytes), (input) => {
        if (store.get(sessionId) !== live) {
          // Expired, cancelled or completed while this frame was analysed.
          throw new EnrollmentSessionClosedError(sessionId, 'active', `Enrollment session ${sessionId} ended while the frame was analysed`);
        }
        const result = evaluateFrame(live.state, input, { frameNumber: meta.frameNumber, timestamp });
        live.state = result.state;
        live.frameCount++;
        publish({ sessionId, status: 'active', feedback: result.feedback, employeeId: null });
        return result.feedback;
      });
    },

    async complete(caller, sessionId) {
      const engine = requireFaceEngine(deps);
      const live = await liveSession(caller, sessionId);
      if (live.completing) {
        throw new EnrollmentSessionClosedError(sessionId, 'active', `Enrollment session ${sessionId} is already being completed`);
      }
      live.completing = true;
      try {
        // Frames already submitted count: wait for them to be applied.
        await live.tail;
        const plan = planSessionCompletion(live.state);
        const summary = coverageSummary(live.state);
        if (!plan.ok) {
          if (plan.reason === 'inconsistent_identity') {
            await close(live, 'cancelled', plan.message);
            throw new InconsistentIdentityError(plan.message);
          }
          // Not enough yet: the session stays open so the user can keep going.
          const missing = plan.reason === 'insufficient_coverage' ? plan.missing : summary.missing;
          throw new InsufficientCoverageError(plan.message, missing, summary.covered);
        }
        try {
          await duplicateCheck(plan.meanEmbedding, live.employeeId ?? undefined);
        } catch (error) {
          if (error instanceof DuplicateIdentityError) {
            await close(live, 'cancelled', error.message);
          }
          throw error;
        }
        const templates = await templatesFor(engine, plan.frames, plan.meanEmbedding, sessionId, 'enrollment', sessionId);
        const now = deps.clock();
        const { employee, created } = await prisma
          .$transaction(async (tx) => {
            let employee: Employee;
            let created = false;
            if (live.pendingEmployee !== null) {
              employee = await tx.employee.create({ data: live.pendingEmployee });
              created = true;
            } else {
              const found = await tx.employee.findUnique({ where: { id: live.employeeId ?? -1 } });
              if (found === null || found.erasedAt !== null) {
                throw new EmployeeNotFoundError(live.employeeId ?? -1);
              }
              employee = found;
            }
            await replaceTemplatesInTx(tx, employee.id, engine.modelId, templates);
            const completed = await sessions.completeInTx(tx, sessionId, {
              employeeId: employee.id,
              completedAt: now,
              frameCount: live.frameCount,
              coverage: summary,
            });
            if (!completed) {
              throw new EnrollmentSessionClosedError(sessionId, 'expired', `Enrollment session ${sessionId} ended before it could complete`);
            }
            await writeAudit(tx, caller, {
              action: created ? 'enrollment.create' : 'enrollment.reenroll',
              entityType: 'employee',
              entityId: employee.id,
              after: { sessionId, modelId: engine.modelId, templates: countTemplates(templates), coverage: summary.covered },
            });
            return { employee, created };
          })
          .catch((error: unknown) => {
            throw isUniqueViolation(error) && live.pendingEmployee ? new DuplicateEmployeeCodeError(live.pendingEmployee.employeeCode) : error;
          });
        store.delete(sessionId);
        publish({ sessionId, status: 'completed', feedback: null, employeeId: employee.id });
        log.info({ sessionId, employeeId: employee.id, templates: templates.length }, 'enrollment completed');
        await afterStore(employee, created);
        return {
          sessionId,
          employee,
          created,
          templates: countTemplates(templates),
          coverage: summary,
          keptFrames: plan.frames.map((f) => f.frameNumber),
          dropped: plan.dropped,
        };
      } finally {
        live.completing = false;
      }
    },

    async cancel(caller, sessionId) {
      const live = await liveSession(caller, sessionId);
      if (live.completing) {
        throw new EnrollmentSessionClosedError(sessionId, 'active', `Enrollment session ${sessionId} is being completed`);
      }
      await close(live, 'cancelled', 'cancelled');
      return service.getSession(caller, sessionId);
    },

    async getSession(caller, sessionId) {
      const live = store.get(sessionId);
      if (live !== undefined) {
        authorize(caller, live);
      }
      const row = await sessions.find(sessionId);
      if (row === null) {
        throw new EnrollmentSessionNotFoundError(sessionId);
      }
      return toView(row, live);
    },

    async enrollFromPhotos(caller, employeeId, photos) {
      const engine = requireFaceEngine(deps);
      if (photos.length === 0 || photos.length > MAX_PHOTOS) {
        throw new ValidationError([{ path: ['photos'], message: `must hold 1 to ${MAX_PHOTOS} photos` }]);
      }
      const existing = await prisma.employee.findUnique({ where: { id: employeeId } });
      if (existing === null || existing.erasedAt !== null) {
        throw new EmployeeNotFoundError(employeeId);
      }
      const verdicts: PhotoVerdict[] = await Promise.all(
        photos.map(async (bytes, i) => evaluatePhoto(await analyzeFrame(engine, bytes, true), i)),
      );
      const plan = planPhotoEnrollment(verdicts);
      if (!plan.ok) {
        if (plan.reason === 'bad_photos') {
          throw new PhotosRejectedError(
            plan.message,
            plan.rejected.map((r) => ({ index: r.index, reason: r.reason, message: r.message, faceCount: r.faceCount })),
          );
        }
        if (plan.reason === 'inconsistent_identity') {
          throw new InconsistentIdentityError(plan.message);
        }
        throw new PhotosRejectedError(plan.message, []);
      }
      await duplicateCheck(plan.meanEmbedding, toEmployeeId(employeeId));
      const seedKey = `photos:${employeeId}:${deps.clock().getTime()}`;
      const templates = await templatesFor(engine, plan.frames, plan.meanEmbedding, seedKey, 'photo', null);
      const employee = await prisma.$transaction(async (tx) => {
        const found = await tx.employee.findUnique({ where: { id: employeeId } });
        if (found === null || found.erasedAt !== null) {
          throw new EmployeeNotFoundError(employeeId);
        }
        await replaceTemplatesInTx(tx, employeeId, engine.modelId, templates);
        await writeAudit(tx, caller, {
          action: 'enrollment.photos',
          entityType: 'employee',
          entityId: employeeId,
          after: { photos: photos.length, modelId: engine.modelId, templates: countTemplates(templates) },
        });
        return found;
      });
      log.info({ employeeId, photos: photos.length, templates: templates.length }, 'enrolled from photos');
      await afterStore(employee, false);
      return {
        sessionId: null,
        employee,
        created: false,
        templates: countTemplates(templates),
        coverage: null,
        keptFrames: plan.frames.map((f) => f.frameNumber),
        dropped: plan.dropped,
        photos: verdicts.map((v) => ({
          index: v.index,
          ok: v.ok,
          sector: v.ok ? v.candidate.sector : null,
          qualityScore: v.ok ? v.quality.score : 0,
        })),
      };
    },
  };

  return service;
}
