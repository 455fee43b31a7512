// recognize(frame) mutation: every face of one frame with its decision, and
// the attendance outcome of recognized faces. Same service as REST
// POST /api/v1/recognition/recognize.
import { builder } from './builder.js';
import { ErrorInterface } from './errors.js';
import { EmployeeRef } from './employee.js';
import { PayloadTooLargeError, ValidationError } from '../domain/errors.js';
import { EngineBusyError, InvalidImageError } from '../engine/engine-errors.js';
import type { FaceAttendance, FaceResult, RecognitionResult } from '../services/recognition-service.js';
import { recognitionResolvers as r } from '../resolvers/recognition.js';
import type { FaceLiveness } from '../services/liveness-service.js';
import type { FaceQuality } from '../vision/types.js';

builder.objectType(InvalidImageError, {
  name: 'InvalidImageError',
  interfaces: [ErrorInterface],
  isTypeOf: (value) => value instanceof InvalidImageError,
  fields: () => ({}),
});

builder.objectType(PayloadTooLargeError, {
  name: 'PayloadTooLargeError',
  interfaces: [ErrorInterface],
  isTypeOf: (value) => value instanceof PayloadTooLargeError,
  fields: () => ({}),
});

const RecognitionMethodEnum = builder.enumType('RecognitionMethodName', { values: ['svm', 'cosine'] as const });
const UnknownReasonEnum = builder.enumType('UnknownFaceReason', {
  values: ['no_face', 'low_quality', 'below_threshold', 'ambiguous', 'spoof'] as const,
});

export const FaceLivenessRef = builder.objectRef<FaceLiveness>('FaceLiveness').implement({
  description: 'Passive liveness of a face (fr_liveness.onnx): not live = a printed photo or a screen, never recognized or logged.',
  fields: (t) => ({
    score: t.exposeFloat('score', { description: 'P(live), 0..1' }),
    live: t.exposeBoolean('live', { description: 'score >= LIVENESS_THRESHOLD' }),
  }),
});
const FaceAttendanceStatusEnum = builder.enumType('FaceAttendanceStatus', {
  values: ['logged', 'duplicate', 'queued', 'rejected', 'failed'] as const,
});

const FaceQualityRef = builder.objectRef<FaceQuality>('FaceQuality').implement({
  fields: (t) => ({
    score: t.exposeFloat('score', { description: '0..1 overall quality' }),
    sharpness: t.exposeFloat('sharpness'),
    brightness: t.exposeFloat('brightness'),
    faceSize: t.exposeFloat('faceSize', { description: 'Side of the face box in pixels' }),
    yaw: t.exposeFloat('yaw'),
    pitch: t.exposeFloat('pitch'),
    roll: t.exposeFloat('roll'),
    issues: t.stringList({ resolve: (q) => q.issues }),
  }),
});

export const FaceAttendanceRef = builder.objectRef<FaceAttendance>('FaceAttendance').implement({
  fields: (t) => ({
    status: t.field({ type: FaceAttendanceStatusEnum, resolve: (a) => a.kind }),
    logId: t.int({
      nullable: true,
      resolve: (a) => (a.kind === 'logged' ? a.logId : a.kind === 'duplicate' ? a.existingLogId : null),
    }),
    eventId: t.string({ nullable: true, resolve: (a) => (a.kind === 'logged' || a.kind === 'queued' ? a.eventId : null) }),
    reason: t.string({
      nullable: true,
      resolve: (a) => (a.kind === 'duplicate' || a.kind === 'rejected' ? a.reason : a.kind === 'failed' ? a.message : null),
    }),
  }),
});

const RecognizedFaceRef = builder.objectRef<FaceResult>('RecognizedFace').implement({
  description: 'One face of the frame: an employee, or unknown with a reason.',
  fields: (t) => ({
    bbox: t.floatList({ description: 'x1, y1, x2, y2 in image pixels', resolve: (f) => [...f.box] }),
    detectionScore: t.exposeFloat('detectionScore'),
    employeeId: t.int({ nullable: true, resolve: (f) => f.employee?.id ?? null }),
    employeeCode: t.string({ nullable: true, resolve: (f) => f.employee?.employeeCode ?? null }),
    employeeName: t.string({ nullable: true, resolve: (f) => f.employee?.fullName ?? null }),
    // The whole record only for those who may read employees: a kiosk gets the name and code above.
    employee: t.field({
      type: EmployeeRef,
      nullable: true,
      authScopes: { permission: 'employees:read' },
      resolve: (f, _args, ctx) => (f.employee ? ctx.loaders.employeeById.load(f.employee.id) : null),
    }),
    confidenceScore: t.exposeFloat('confidence'),
    recognitionMethod: t.field({ type: RecognitionMethodEnum, nullable: true, resolve: (f) => f.method }),
    reason: t.field({ type: UnknownReasonEnum, nullable: true, resolve: (f) => f.reason }),
    quality: t.field({ type: FaceQualityRef, resolve: (f) => f.quality }),
    liveness: t.field({
      type: FaceLivenessRef,
      nullable: true,
      description: 'null when LIVENESS_MODE=off, or when the face fills the picture too much to be judged (never logged: attendance rejected, reason liveness_unverified)',
      resolve: (f) => f.liveness,
    }),
    attendance: t.field({ type: FaceAttendanceRef, nullable: true, resolve: (f) => f.attendance ?? null }),
  }),
});

const RecognitionResultRef = builder.objectRef<RecognitionResult>('RecognitionResult').implement({
  fields: (t) => ({
    faces: t.field({ type: [RecognizedFaceRef], resolve: (r) => r.faces }),
    reason: t.field({ type: UnknownReasonEnum, nullable: true, resolve: (r) => r.reason }),
    width: t.exposeInt('width'),
    height: t.exposeInt('height'),
    modelPack: t.exposeString('modelId'),
    processingTimeMs: t.float({ resolve: (r) => r.timingsMs.total }),
  }),
});

builder.mutationFields((t) => ({
  recognize: t.field({
    type: RecognitionResultRef,
    description: 'Recognize every face of a frame (base64 JPEG/PNG) and log attendance for the recognized unless logAttendance is false.',
    authScopes: { permission: 'recognition:submit' },
    errors: { types: [InvalidImageError, ValidationError, PayloadTooLargeError, EngineBusyError], directResult: true },
    args: {
      frame: t.arg.string({ required: true }),
      logAttendance: t.arg.boolean(),
      cameraId: t.arg.int(),
      idempotencyKey: t.arg.string({
        description: 'Makes a retry safe: the same key (per API key) with the same frame returns the first answer and logs nothing again.',
      }),
    },
    resolve: (_root, args, ctx) => r.recognize(args, ctx),
  }),
}));
