// The kiosk's head-turn check-in: startLivenessChallenge, submitChallengeFrame,
// finishLivenessChallenge. Thin fields over src/resolvers/liveness.ts (the
// same service as REST /api/v1/liveness/challenges).
import { ConflictError, NotFoundError, PayloadTooLargeError, ValidationError } from '../domain/errors.js';
import { EngineBusyError, InvalidImageError } from '../engine/engine-errors.js';
import { REFUSAL_REASONS, type Finding } from '../liveness/decision.js';
import type { FollowedStep } from '../liveness/follow-sequence.js';
import { livenessResolvers as r } from '../resolvers/liveness.js';
import type { ChallengeFrameFeedback, ChallengeOutcome, ChallengeView } from '../services/liveness-challenge-service.js';
import { builder } from './builder.js';
import { EmployeeRef } from './employee.js';
import { FaceAttendanceRef } from './recognition.js';

const HeadTurnEnum = builder.enumType('HeadTurn', {
  description: "'left' = the person's own left (nose towards image right in an unmirrored camera frame)",
  values: ['left', 'right'] as const,
});
const RefusalReasonEnum = builder.enumType('ChallengeRefusalReason', { values: REFUSAL_REASONS });
const VerdictEnum = builder.enumType('ChallengeVerdict', { values: ['live', 'refused'] as const });
const ChallengeFaceStatusEnum = builder.enumType('ChallengeFaceStatus', { values: ['one_face', 'no_face', 'multiple_faces'] as const });

const LivenessChallengeRef = builder.objectRef<ChallengeView>('LivenessChallenge').implement({
  fields: (t) => ({
    id: t.exposeID('id'),
    steps: t.field({ type: [HeadTurnEnum], resolve: (c) => [...c.steps] }),
    instructions: t.exposeStringList('instructions'),
    issuedAt: t.string({ resolve: (c) => c.issuedAt.toISOString() }),
    deadline: t.string({ resolve: (c) => c.deadline.toISOString() }),
  }),
});

const ChallengeFrameFeedbackRef = builder.objectRef<ChallengeFrameFeedback>('ChallengeFrameFeedback').implement({
  fields: (t) => ({
    accepted: t.exposeBoolean('accepted'),
    faceStatus: t.field({ type: ChallengeFaceStatusEnum, resolve: (f) => f.faceStatus }),
    yaw: t.exposeFloat('yaw', { nullable: true, description: 'Yaw proxy -1..1 from the 68 landmarks (+ = turned left)' }),
    livenessScore: t.exposeFloat('livenessScore', { nullable: true }),
    turnsDone: t.exposeInt('turnsDone'),
    instruction: t.exposeString('instruction', { nullable: true }),
  }),
});

const FindingRef = builder.objectRef<Finding>('ChallengeFinding').implement({
  fields: (t) => ({
    reason: t.field({ type: RefusalReasonEnum, resolve: (f) => f.reason }),
    detail: t.exposeString('detail'),
  }),
});

const TurnRef = builder.objectRef<FollowedStep>('ChallengeTurn').implement({
  fields: (t) => ({
    direction: t.field({ type: HeadTurnEnum, resolve: (s) => s.direction }),
    yaw: t.exposeFloat('yaw'),
  }),
});

const finite = (v: number | undefined): number | null => (v === undefined || !Number.isFinite(v) ? null : v);

const ChallengeResultRef = builder.objectRef<ChallengeOutcome>('ChallengeResult').implement({
  fields: (t) => ({
    verdict: t.field({ type: VerdictEnum, resolve: (o) => o.verdict }),
    reason: t.field({ type: RefusalReasonEnum, nullable: true, resolve: (o) => (o.verdict === 'refused' ? o.decision.reason : null) }),
    detail: t.string({ nullable: true, resolve: (o) => (o.verdict === 'refused' ? o.decision.detail : null) }),
    findings: t.field({ type: [FindingRef], resolve: (o) => (o.verdict === 'refused' ? o.decision.findings : []) }),
    employee: t.field({
      type: EmployeeRef,
      nullable: true,
      resolve: (o, _args, ctx) => (o.verdict === 'live' && o.employee ? ctx.loaders.employeeById.load(o.employee.id) : null),
    }),
    confidence: t.float({ nullable: true, resolve: (o) => (o.verdict === 'live' ? o.confidence : null) }),
    attendance: t.field({ type: FaceAttendanceRef, nullable: true, resolve: (o) => (o.verdict === 'live' ? o.attendance : null) }),
    frames: t.int({ resolve: (o) => o.decision.evidence.frames }),
    turns: t.field({ type: [TurnRef], resolve: (o) => o.decision.evidence.steps }),
    livenessScore: t.float({ nullable: true, description: 'Median P(live) over the frames', resolve: (o) => finite(o.decision.evidence.passive.score) }),
    homographyResidual: t.float({ nullable: true, resolve: (o) => finite(o.decision.evidence.motion?.homographyResidual) }),
    depthRatio: t.float({
      nullable: true,
      description: 'Head-model fit / homography fit residual: low = a head, near 1 = a picture',
      resolve: (o) => finite(o.decision.evidence.motion?.depthRatio),
    }),
  }),
});

// A kiosk using another kiosk's challenge gets extensions.code FORBIDDEN (like enrollment sessions).
const challengeErrors = [NotFoundError, ConflictError] as const;

builder.mutationFields((t) => ({
  startLivenessChallenge: t.field({
    type: LivenessChallengeRef,
    description: 'Start a kiosk head-turn challenge: a random sequence of turns with a deadline.',
    authScopes: { permission: 'liveness:challenge' },
    errors: { types: [EngineBusyError], directResult: true },
    args: { cameraId: t.arg.int() },
    resolve: (_root, args, ctx) => r.startLivenessChallenge(args, ctx),
  }),
  submitChallengeFrame: t.field({
    type: ChallengeFrameFeedbackRef,
    description: 'One camera frame (base64 JPEG/PNG) of a challenge; stamped with the server clock.',
    authScopes: { permission: 'liveness:challenge' },
    errors: { types: [...challengeErrors, InvalidImageError, ValidationError, PayloadTooLargeError, EngineBusyError], directResult: true },
    args: { challengeId: t.arg.id({ required: true }), frame: t.arg.string({ required: true }) },
    resolve: (_root, args, ctx) => r.submitChallengeFrame(args, ctx),
  }),
  finishLivenessChallenge: t.field({
    type: ChallengeResultRef,
    description: 'Decide the challenge: check the person in, or refuse with the reason. Idempotent.',
    authScopes: { permission: 'liveness:challenge' },
    errors: { types: [...challengeErrors], directResult: true },
    args: { challengeId: t.arg.id({ required: true }) },
    resolve: (_root, args, ctx) => r.finishLivenessChallenge(args, ctx),
  }),
}));
