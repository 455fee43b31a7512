// Live guided enrollment sessions: start, frames with instant feedback
// (analysed concurrently, applied in order), completion, cancel and expiry.
//
// Lifecycle: start writes an EnrollmentSession row (active, expiresAt) and
// keeps the coverage state in the live session store (this process's memory,
// or Redis with several instances, so any instance takes any frame). Nothing
// else is written until
// completion, which stores the Employee (if new), the templates and the
// session's end in one transaction: an abandoned or refused session leaves no
// employee and no templates. A scheduled sweep (src/services/create-services.ts)
// expires sessions past their TTL.
import { randomUUID } from 'node:crypto';
import type { Config } from '../config.js';
import type { Caller } from '../auth/caller.js';
import { can } from '../auth/permissions.js';
import { DuplicateEmployeeCodeError, ForbiddenError, parseInput, ValidationError } from '../domain/errors.js';
import { employeeId as toEmployeeId, type EmployeeId } from '../domain/ids.js';
import { requireFaceEngine } from '../engine/require-face-engine.js';
import { planSessionCompletion } from '../enrollment/completion.js';
import { coverageSummary, createCoverage, mergeCoverageParams } from '../enrollment/coverage.js';
import {
  DuplicateIdentityError,
  EnrollmentSessionClosedError,
  EnrollmentSessionExpiredError,
  EnrollmentSessionNotFoundError,
  InconsistentIdentityError,
  InsufficientCoverageError,
} from '../enrollment/enrollment-errors.js';
import { sessionView, type EnrollmentResult, type EnrollmentSessionView, type StartEnrollmentInput } from '../enrollment/enrollment-views.js';
import type { EnrollmentProgressEvent, EnrollmentSessionStatus } from '../enrollment/events.js';
import type { FrameFeedback } from '../enrollment/feedback-types.js';
import { DEFAULT_FRAME_FEEDBACK_PARAMS, evaluateFrame, type FrameFeedbackParams } from '../enrollment/frame-feedback.js';
import { chainStep, createMemorySessionStore, type LiveSession, type PendingEmployee, type SessionChain } from '../enrollment/session-store.js';
import { countTemplates } from '../enrollment/template-builder.js';
import { newEmployeeSchema, type EnrollmentServiceDeps, type EnrollmentSteps } from './enrollment-steps.js';

export interface GuidedEnrollment {
  /** Marks sessions left active by a previous run as expired. */
  start(): Promise<void>;
  /** Forgets the live sessions held in memory (their rows expire on the next start). */
  stop(): void;
  startSession(caller: Caller | null, input: StartEnrollmentInput): Promise<EnrollmentSessionView>;
  submitFrame(caller: Caller | null, sessionId: string, bytes: Uint8Array, meta: { frameNumber: number; timestamp?: number | null }): Promise<FrameFeedback>;
  complete(caller: Caller | null, sessionId: string): Promise<EnrollmentResult>;
  cancel(caller: Caller | null, sessionId: string): Promise<EnrollmentSessionView>;
  getSession(caller: Caller | null, sessionId: string): Promise<EnrollmentSessionView>;
  /** Expires sessions past their TTL now; returns how many. */
  sweep(): Promise<number>;
  readonly liveSessions: number;
}

const SWEEP_INTERVAL_MS = 15_000;

/** How often expired sessions are swept: every 15 s, or half the TTL when that is shorter. */
export function enrollmentSweepIntervalMs(config: Pick<Config, 'ENROLLMENT_SESSION_TTL_SECONDS'>): number {
  return Math.min(SWEEP_INTERVAL_MS, config.ENROLLMENT_SESSION_TTL_SECONDS * 500);
}

export function createGuidedEnrollment(deps: EnrollmentServiceDeps, steps: EnrollmentSteps): GuidedEnrollment {
  const { config, sessions } = deps;
  const { log, analyzeFrame, duplicateCheck, templatesFor, afterStore } = steps;
  const store = deps.liveSessions ?? createMemorySessionStore();
  const frameParams: FrameFeedbackParams = {
    ...DEFAULT_FRAME_FEEDBACK_PARAMS,
    livenessThreshold: deps.liveness.enabled ? deps.liveness.threshold : null,
  };
  // This process's apply order per session (frames analysed at once, applied in arrival order).
  const chains = new Map<string, SessionChain>();
  const chainOf = (id: string): SessionChain => {
    let chain = chains.get(id);
    if (chain === undefined) {
      chain = { tail: Promise.resolve() };
      chains.set(id, chain);
    }
    return chain;
  };
  const forget = async (id: string): Promise<void> => {
    chains.delete(id);
    await store.delete(id);
  };
  const coverageParams = mergeCoverageParams({
    requirement: { ringMin: config.ENROLLMENT_RING_SECTORS, minFramesPerSector: config.ENROLLMENT_MIN_FRAMES_PER_SECTOR },
  });

  const publish = (event: Omit<EnrollmentProgressEvent, 'at'>): void => {
    deps.events.publish('enrollmentProgress', event.sessionId, { ...event, at: deps.clock().toISOString() });
  };

  /** Kiosks drive only the sessions they started, and only for new employees. */
  // The owner comes from the session's row (startedByKeyId); the live copy mirrors it.
  const authorize = (caller: Caller | null, session: { startedBy: number | null }): void => {
    if (caller !== null && !can(caller.role, 'enrollment:write') && session.startedBy !== caller.apiKeyId) {
      throw new ForbiddenError('This key may only use enrollment sessions it started');
    }
  };

  /** Ends a live session in the database and memory; false if it had already ended. */
  const close = async (
    live: LiveSession,
    status: Exclude<EnrollmentSessionStatus, 'active' | 'completed'>,
    failureReason: string | null,
  ): Promise<boolean> => {
    await forget(live.id);
    const ended = await sessions.end(live.id, { status, failureReason, frameCount: live.frameCount, coverage: coverageSummary(live.state) });
    publish({ sessionId: live.id, status, feedback: null, employeeId: null });
    return ended;
  };

  /** The live session, or the typed reason why there is none. */
  const liveSession = async (caller: Caller | null, sessionId: string): Promise<LiveSession> => {
    const live = await store.get(sessionId);
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
    authorize(caller, { startedBy: row.startedByKeyId });
    if (row.status === 'expired' || row.status === 'active') {
      // 'active' without live state: the server restarted (or the shared store lost it).
      throw new EnrollmentSessionExpiredError(sessionId);
    }
    throw new EnrollmentSessionClosedError(sessionId, row.status);
  };

  const service: GuidedEnrollment = {
    get liveSessions() {
      return store.size;
    },

    async start() {
      if (store.shared) {
        // Other instances hold live sessions in the shared store: expiry alone ends them.
        return;
      }
      // Memory of sessions from a previous run is gone: they cannot complete.
      const count = await sessions.expireLeftActive(deps.startedAt);
      if (count > 0) {
        log.info({ count }, 'expired enrollment sessions left active by a previous run');
      }
    },

    stop() {
      store.clear();
      chains.clear();
    },

    async sweep() {
      const now = deps.clock();
      let n = 0;
      for (const live of await store.expired(now)) {
        if (!(await store.isCompleting(live.id)) && (await close(live, 'expired', 'session expired'))) {
          n++;
        }
      }
      await sessions.expireOverdue(now, store.heldIds());
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
        employeeId = toEmployeeId((await deps.employees.getUnerased(input.employeeId)).id);
      } else {
        const parsed = parseInput(newEmployeeSchema, input.employee, ['employee']);
        pending = { employeeCode: parsed.employeeCode, fullName: parsed.fullName, email: parsed.email ?? null, department: parsed.department ?? null };
        if (await deps.employees.codeTaken(pending.employeeCode)) {
          throw new DuplicateEmployeeCodeError(pending.employeeCode);
        }
      }
      const id = randomUUID();
      const expiresAt = new Date(now.getTime() + config.ENROLLMENT_SESSION_TTL_SECONDS * 1000);
      const row = await sessions.create({ id, employeeId, pendingEmployee: pending, startedByKeyId: caller?.apiKeyId ?? null, expiresAt, createdAt: now });
      const live: LiveSession = {
        id,
        employeeId,
        pendingEmployee: pending,
        startedBy: caller?.apiKeyId ?? null,
        createdAt: now,
        expiresAt,
        state: createCoverage(coverageParams),
        frameCount: 0,
      };
      await store.add(live);
      log.info({ sessionId: id, employeeId, employeeCode: pending?.employeeCode }, 'enrollment session started');
      return sessionView(row, live);
    },

    async submitFrame(caller, sessionId, bytes, meta) {
      const engine = requireFaceEngine(deps);
      if (!Number.isInteger(meta.frameNumber) || meta.frameNumber < 0) {
        throw new ValidationError([{ path: ['frameNumber'], message: 'must be a non-negative integer' }]);
      }
      await liveSession(caller, sessionId);
      if (await store.isCompleting(sessionId)) {
        throw new EnrollmentSessionClosedError(sessionId, 'active', `Enrollment session ${sessionId} is being completed`);
      }
      const timestamp = meta.timestamp ?? deps.clock().getTime();
      return chainStep(chainOf(sessionId), analyzeFrame(engine, bytes, true), async (input) => {
        // On the latest state: another frame (maybe through another instance) may have moved it.
        const applied = await store.update(sessionId, (current) => {
          const result = evaluateFrame(current.state, input, { frameNumber: meta.frameNumber, timestamp }, frameParams);
          const notLive = result.feedback.status === 'rejected' && result.feedback.rejection === 'not_live';
          const report = notLive && current.attackReported !== true;
          const next = { ...current, state: result.state, frameCount: current.frameCount + 1, attackReported: current.attackReported === true || notLive };
          return { next, result: { feedback: result.feedback, report } };
        });
        if (applied === undefined) {
          // Expired, cancelled or completed while this frame was analysed.
          throw new EnrollmentSessionClosedError(sessionId, 'active', `Enrollment session ${sessionId} ended while the frame was analysed`);
        }
        if (applied.report) {
          const face = input.kind === 'analysis' ? input.analysis.faces.find((f) => f.liveness !== undefined && f.liveness < deps.liveness.threshold) : undefined;
          void deps.liveness.report(caller, {
            source: 'enrollment',
            cameraId: caller?.cameraId ?? null,
            reason: 'spoof',
            detail: `enrollment session ${sessionId}: a camera frame was judged not live`,
            livenessScore: face?.liveness ?? null,
            resembled: null,
          });
        }
        publish({ sessionId, status: 'active', feedback: applied.feedback, employeeId: null });
        return applied.feedback;
      });
    },

    async complete(caller, sessionId) {
      const engine = requireFaceEngine(deps);
      await liveSession(caller, sessionId);
      if (!(await store.beginCompletion(sessionId))) {
        throw new EnrollmentSessionClosedError(sessionId, 'active', `Enrollment session ${sessionId} is already being completed`);
      }
      try {
        // Frames already submitted here count: wait for them to be applied, then read the latest state.
        await chainOf(sessionId).tail;
        const live = await store.get(sessionId);
        if (live === undefined) {
          throw new EnrollmentSessionClosedError(sessionId, 'active', `Enrollment session ${sessionId} ended before it could complete`);
        }
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
        // Started by a kiosk (no enrollment:write): not recognized until an operator approves.
        const awaitingApproval = config.ENROLLMENT_APPROVAL && caller !== null && !can(caller.role, 'enrollment:write');
        const { employee, created } = await deps.enrollments.storeSession(caller, {
          sessionId,
          employee: live.pendingEmployee !== null ? { pending: live.pendingEmployee, awaitingApproval } : { id: live.employeeId ?? -1 },
          modelId: engine.modelId,
          templates,
          completion: { completedAt: now, frameCount: live.frameCount, coverage: summary },
          audit: { sessionId, modelId: engine.modelId, templates: countTemplates(templates), coverage: summary.covered },
        });
        await forget(sessionId);
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
        await store.endCompletion(sessionId);
      }
    },

    async cancel(caller, sessionId) {
      const live = await liveSession(caller, sessionId);
      if (await store.isCompleting(sessionId)) {
        throw new EnrollmentSessionClosedError(sessionId, 'active', `Enrollment session ${sessionId} is being completed`);
      }
      await close(live, 'cancelled', 'cancelled');
      return service.getSession(caller, sessionId);
    },

    async getSession(caller, sessionId) {
      const live = await store.get(sessionId);
      if (live !== undefined) {
        authorize(caller, live);
      }
      const row = await sessions.find(sessionId);
      if (row === null) {
        throw new EnrollmentSessionNotFoundError(sessionId);
      }
      authorize(caller, { startedBy: row.startedByKeyId });
      return sessionView(row, live);
    },
  };
  return service;
}
