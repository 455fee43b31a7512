// Enrollment: live guided sessions (start, frames with instant feedback,
// completion, progress subscription) and enrollment from still photos.
// Fields are declared here; src/resolvers/enrollment.ts resolves them.
import { builder } from './builder.js';
import { EmployeeRef } from './employee.js';
import {
  DuplicateIdentityError,
  EnrollmentSessionClosedError,
  EnrollmentSessionExpiredError,
  EnrollmentSessionNotFoundError,
  InconsistentIdentityError,
  InsufficientCoverageError,
  PhotosRejectedError,
  type RejectedPhoto,
} from '../enrollment/enrollment-errors.js';
import type { FrameFeedback, QualityVerdict } from '../enrollment/feedback-types.js';
import type { CoverageSummary, Pose } from '../enrollment/coverage.js';
import type { EnrollmentProgressEvent } from '../enrollment/events.js';
import { ErrorInterface } from './errors.js';
import { EngineBusyError } from '../engine/engine-errors.js';
import { DuplicateEmployeeCodeError, EmployeeNotFoundError, ValidationError } from '../domain/errors.js';
import type { EnrollmentResult, EnrollmentSessionView, PhotoEnrollmentResult } from '../enrollment/enrollment-views.js';
import { enrollmentResolvers as r } from '../resolvers/enrollment.js';
import type { TemplateCounts } from '../enrollment/template-builder.js';
import type { PendingEmployee } from '../enrollment/session-store.js';

const SessionStatusEnum = builder.enumType('EnrollmentSessionStatus', {
  values: ['active', 'completed', 'cancelled', 'expired'] as const,
});

const PoseRef = builder.objectRef<Pose>('HeadPose').implement({
  description: 'Degrees; positive yaw = turned to the person\'s left, positive pitch = looking up.',
  fields: (t) => ({ yaw: t.exposeFloat('yaw'), pitch: t.exposeFloat('pitch'), roll: t.exposeFloat('roll') }),
});

const QualityVerdictRef = builder.objectRef<QualityVerdict>('FrameQualityVerdict').implement({
  fields: (t) => ({
    ok: t.exposeBoolean('ok'),
    score: t.exposeFloat('score'),
    reasons: t.exposeStringList('reasons', { description: 'blur, too_dark, too_bright, too_small, occluded, extreme_pose, cut_off' }),
  }),
});

const FrameFeedbackRef = builder.objectRef<FrameFeedback>('EnrollmentFrameFeedback').implement({
  description: 'The answer to one enrollment frame. Sectors: centre, left, up-left, up, up-right, right, down-right, down, down-left.',
  fields: (t) => ({
    status: t.exposeString('status', { description: 'accepted | rejected' }),
    frameNumber: t.exposeInt('frameNumber'),
    timestamp: t.exposeFloat('timestamp'),
    faceStatus: t.exposeString('faceStatus', { description: 'one_face | no_face | multiple_faces | invalid_image' }),
    rejection: t.string({
      nullable: true,
      description: 'invalid_image | no_face | multiple_faces | not_live | low_quality | between_sectors | different_person | duplicate_frame',
      resolve: (f) => (f.status === 'rejected' ? f.rejection : null),
    }),
    faceCount: t.exposeInt('faceCount'),
    quality: t.field({ type: QualityVerdictRef, resolve: (f) => f.quality }),
    pose: t.field({ type: PoseRef, nullable: true, resolve: (f) => f.pose ?? null }),
    sector: t.string({ nullable: true, resolve: (f) => f.sector ?? null }),
    newlyCovered: t.boolean({ resolve: (f) => f.status === 'accepted' && f.newlyCovered }),
    coveredSectors: t.exposeStringList('coveredSectors'),
    missingSectors: t.exposeStringList('missingSectors'),
    progress: t.exposeFloat('progress', { description: '0..1 towards the coverage requirement' }),
    complete: t.exposeBoolean('complete', { description: 'Coverage is enough to complete' }),
    instruction: t.exposeString('instruction'),
    instructionCode: t.exposeString('instructionCode'),
  }),
});

const CoverageRef = builder.objectRef<CoverageSummary>('EnrollmentCoverage').implement({
  fields: (t) => ({
    covered: t.exposeStringList('covered'),
    missing: t.exposeStringList('missing'),
    progress: t.exposeFloat('progress'),
    complete: t.exposeBoolean('complete'),
    framesSeen: t.exposeInt('framesSeen'),
    framesAccepted: t.exposeInt('framesAccepted'),
    hits: t.field({ type: 'JSON', description: 'Accepted frames per sector', resolve: (c) => c.hits }),
  }),
});

const PendingEmployeeRef = builder.objectRef<PendingEmployee>('PendingEmployee').implement({
  fields: (t) => ({
    employeeCode: t.exposeString('employeeCode'),
    fullName: t.exposeString('fullName'),
    email: t.exposeString('email', { nullable: true }),
    department: t.exposeString('department', { nullable: true }),
  }),
});

const SessionRef = builder.objectRef<EnrollmentSessionView>('EnrollmentSession').implement({
  fields: (t) => ({
    id: t.exposeID('id'),
    status: t.field({ type: SessionStatusEnum, resolve: (s) => s.status }),
    employeeId: t.exposeInt('employeeId', { nullable: true }),
    employee: t.field({
      type: EmployeeRef,
      nullable: true,
      resolve: (s, _args, ctx) => (s.employeeId === null ? null : ctx.loaders.employeeById.load(s.employeeId)),
    }),
    pendingEmployee: t.field({ type: PendingEmployeeRef, nullable: true, resolve: (s) => s.pendingEmployee }),
    frameCount: t.exposeInt('frameCount'),
    coverage: t.field({ type: CoverageRef, nullable: true, resolve: (s) => s.coverage }),
    failureReason: t.exposeString('failureReason', { nullable: true }),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
    expiresAt: t.expose('expiresAt', { type: 'DateTime' }),
    completedAt: t.expose('completedAt', { type: 'DateTime', nullable: true }),
  }),
});

const TemplateCountsRef = builder.objectRef<TemplateCounts>('TemplateCounts').implement({
  fields: (t) => ({
    samples: t.exposeInt('samples'),
    augmented: t.exposeInt('augmented'),
    mean: t.exposeInt('mean'),
    total: t.exposeInt('total'),
  }),
});

const EnrollmentResultRef = builder.objectRef<EnrollmentResult>('EnrollmentResult').implement({
  fields: (t) => ({
    sessionId: t.exposeID('sessionId', { nullable: true }),
    employee: t.field({ type: EmployeeRef, resolve: (r) => r.employee }),
    created: t.exposeBoolean('created', { description: 'A new employee was created' }),
    templates: t.field({ type: TemplateCountsRef, resolve: (r) => r.templates }),
    coverage: t.field({ type: CoverageRef, nullable: true, resolve: (r) => r.coverage }),
    keptFrames: t.exposeIntList('keptFrames'),
  }),
});

const PhotoOutcomeRef = builder.objectRef<PhotoEnrollmentResult['photos'][number]>('EnrollmentPhotoOutcome').implement({
  fields: (t) => ({
    index: t.exposeInt('index'),
    ok: t.exposeBoolean('ok'),
    sector: t.exposeString('sector', { nullable: true }),
    qualityScore: t.exposeFloat('qualityScore'),
  }),
});

const PhotoEnrollmentResultRef = builder.objectRef<PhotoEnrollmentResult>('PhotoEnrollmentResult').implement({
  fields: (t) => ({
    employee: t.field({ type: EmployeeRef, resolve: (r) => r.employee }),
    templates: t.field({ type: TemplateCountsRef, resolve: (r) => r.templates }),
    photos: t.field({ type: [PhotoOutcomeRef], resolve: (r) => r.photos }),
  }),
});

const ProgressEventRef = builder.objectRef<EnrollmentProgressEvent>('EnrollmentProgressEvent').implement({
  fields: (t) => ({
    sessionId: t.exposeID('sessionId'),
    status: t.field({ type: SessionStatusEnum, resolve: (e) => e.status }),
    feedback: t.field({ type: FrameFeedbackRef, nullable: true, resolve: (e) => e.feedback }),
    employeeId: t.exposeInt('employeeId', { nullable: true }),
    at: t.field({ type: 'DateTime', resolve: (e) => e.at }),
  }),
});

// --- error types ---------------------------------------------------------------

builder.objectType(EnrollmentSessionNotFoundError, {
  name: 'EnrollmentSessionNotFoundError',
  interfaces: [ErrorInterface],
  isTypeOf: (v) => v instanceof EnrollmentSessionNotFoundError,
  fields: (t) => ({ sessionId: t.exposeID('sessionId') }),
});
builder.objectType(EnrollmentSessionClosedError, {
  name: 'EnrollmentSessionClosedError',
  interfaces: [ErrorInterface],
  isTypeOf: (v) => v instanceof EnrollmentSessionClosedError,
  fields: (t) => ({ sessionId: t.exposeID('sessionId'), sessionStatus: t.field({ type: SessionStatusEnum, resolve: (e) => e.sessionStatus }) }),
});
builder.objectType(EnrollmentSessionExpiredError, {
  name: 'EnrollmentSessionExpiredError',
  interfaces: [ErrorInterface],
  isTypeOf: (v) => v instanceof EnrollmentSessionExpiredError,
  fields: (t) => ({ sessionId: t.exposeID('sessionId') }),
});
builder.objectType(InsufficientCoverageError, {
  name: 'InsufficientCoverageError',
  interfaces: [ErrorInterface],
  isTypeOf: (v) => v instanceof InsufficientCoverageError,
  fields: (t) => ({ missing: t.exposeStringList('missing'), covered: t.exposeStringList('covered') }),
});
builder.objectType(InconsistentIdentityError, {
  name: 'InconsistentIdentityError',
  interfaces: [ErrorInterface],
  isTypeOf: (v) => v instanceof InconsistentIdentityError,
  fields: () => ({}),
});
builder.objectType(DuplicateIdentityError, {
  name: 'DuplicateIdentityError',
  interfaces: [ErrorInterface],
  isTypeOf: (v) => v instanceof DuplicateIdentityError,
  fields: (t) => ({ existingEmployeeId: t.exposeInt('existingEmployeeId'), similarity: t.exposeFloat('similarity') }),
});
const RejectedPhotoRef = builder.objectRef<RejectedPhoto>('RejectedPhoto').implement({
  fields: (t) => ({
    index: t.exposeInt('index'),
    reason: t.exposeString('reason', { description: 'invalid_image | no_face | multiple_faces | low_quality | no_embedding' }),
    message: t.exposeString('message'),
    faceCount: t.exposeInt('faceCount'),
  }),
});
builder.objectType(PhotosRejectedError, {
  name: 'PhotosRejectedError',
  interfaces: [ErrorInterface],
  isTypeOf: (v) => v instanceof PhotosRejectedError,
  fields: (t) => ({ rejected: t.field({ type: [RejectedPhotoRef], resolve: (e) => e.rejected }) }),
});

// --- operations ----------------------------------------------------------------

const NewEnrollmentEmployeeInput = builder.inputType('NewEnrollmentEmployeeInput', {
  fields: (t) => ({
    employeeCode: t.string({ required: true }),
    fullName: t.string({ required: true }),
    email: t.string(),
    department: t.string(),
  }),
});

const StartEnrollmentInput = builder.inputType('StartEnrollmentInput', {
  description: 'Either `employee` (a new hire, created on completion) or `employeeId` (re-enroll).',
  fields: (t) => ({
    employee: t.field({ type: NewEnrollmentEmployeeInput }),
    employeeId: t.int(),
  }),
});

const SESSION_ERRORS = [EnrollmentSessionNotFoundError, EnrollmentSessionClosedError, EnrollmentSessionExpiredError];

builder.queryFields((t) => ({
  enrollmentSession: t.field({
    type: SessionRef,
    authScopes: { permission: 'enrollment:session' },
    errors: { types: [EnrollmentSessionNotFoundError], directResult: true },
    args: { id: t.arg.id({ required: true }) },
    resolve: (_root, args, ctx) => r.enrollmentSession(args, ctx),
  }),
}));

builder.mutationFields((t) => ({
  startEnrollment: t.field({
    type: SessionRef,
    authScopes: { permission: 'enrollment:session' },
    errors: { types: [ValidationError, DuplicateEmployeeCodeError, EmployeeNotFoundError], directResult: true },
    args: { input: t.arg({ type: StartEnrollmentInput, required: true }) },
    resolve: (_root, args, ctx) => r.startEnrollment(args, ctx),
  }),
  submitEnrollmentFrame: t.field({
    type: FrameFeedbackRef,
    description: 'One camera frame (base64 JPEG/PNG); answers at once with feedback for it.',
    authScopes: { permission: 'enrollment:session' },
    errors: { types: [...SESSION_ERRORS, ValidationError, EngineBusyError], directResult: true },
    args: {
      sessionId: t.arg.id({ required: true }),
      frame: t.arg.string({ required: true }),
      frameNumber: t.arg.int({ required: true }),
      timestamp: t.arg.float({ description: 'Client time in ms (default: server time)' }),
    },
    resolve: (_root, args, ctx) => r.submitEnrollmentFrame(args, ctx),
  }),
  completeEnrollment: t.field({
    type: EnrollmentResultRef,
    authScopes: { permission: 'enrollment:session' },
    errors: {
      types: [
        ...SESSION_ERRORS,
        InsufficientCoverageError,
        InconsistentIdentityError,
        DuplicateIdentityError,
        DuplicateEmployeeCodeError,
        EngineBusyError,
      ],
      directResult: true,
    },
    args: { sessionId: t.arg.id({ required: true }) },
    resolve: (_root, args, ctx) => r.completeEnrollment(args, ctx),
  }),
  cancelEnrollment: t.field({
    type: SessionRef,
    authScopes: { permission: 'enrollment:session' },
    errors: { types: SESSION_ERRORS, directResult: true },
    args: { sessionId: t.arg.id({ required: true }) },
    resolve: (_root, args, ctx) => r.cancelEnrollment(args, ctx),
  }),
  enrollFromPhotos: t.field({
    type: PhotoEnrollmentResultRef,
    description: 'Enroll an existing employee from still photos (base64 JPEG/PNG, one face each); replaces their templates.',
    authScopes: { permission: 'enrollment:write' },
    errors: {
      types: [EmployeeNotFoundError, PhotosRejectedError, InconsistentIdentityError, DuplicateIdentityError, ValidationError, EngineBusyError],
      directResult: true,
    },
    args: { employeeId: t.arg.int({ required: true }), photos: t.arg.stringList({ required: true }) },
    resolve: (_root, args, ctx) => r.enrollFromPhotos(args, ctx),
  }),
}));

builder.subscriptionFields((t) => ({
  enrollmentProgress: t.field({
    type: ProgressEventRef,
    description: 'Feedback for every frame of one session as it is applied, then a closing event.',
    authScopes: { permission: 'enrollment:session' },
    args: { sessionId: t.arg.id({ required: true }) },
    subscribe: (_root, args, ctx) => r.enrollmentProgress(args, ctx),
    resolve: (event) => event,
  }),
}));
