// Live recognition subscriptions: per-frame results of one camera and decided
// identities, resolved by src/resolvers/cameras.ts. Per-subscriber buffers drop
// the oldest event for a slow reader, so one capture feeds any number of
// subscribers (graphql-ws or SSE) and none can stall the others.
import type { FrameEvent, FrameFace, RecognizedEvent } from '../cameras/events.js';
import { cameraResolvers as r } from '../resolvers/cameras.js';
import { AttendanceMethodEnum } from './attendance.js';
import { builder } from './builder.js';
import { EmployeeRef } from './employee.js';

const FaceStatusEnum = builder.enumType('LiveFaceStatus', {
  description: "A track's voted identity: pending until enough frames agree.",
  values: ['pending', 'recognized', 'unknown'] as const,
});

const LiveFaceRef = builder.objectRef<FrameFace>('LiveFace').implement({
  fields: (t) => ({
    box: t.floatList({ description: '[x1, y1, x2, y2] in frame pixels.', resolve: (f) => [...f.box] }),
    trackId: t.exposeInt('trackId'),
    status: t.field({ type: FaceStatusEnum, resolve: (f) => f.status }),
    employeeId: t.int({ nullable: true, resolve: (f) => f.employeeId }),
    employee: t.field({
      type: EmployeeRef,
      nullable: true,
      resolve: (f, _args, ctx) => (f.employeeId === null ? null : ctx.loaders.employeeById.load(f.employeeId)),
    }),
    confidence: t.exposeFloat('confidence', { nullable: true }),
    method: t.field({ type: AttendanceMethodEnum, nullable: true, resolve: (f) => f.method }),
    detectionScore: t.exposeFloat('detectionScore'),
  }),
});

const RecognitionFrameRef = builder.objectRef<FrameEvent>('RecognitionFrame').implement({
  fields: (t) => ({
    cameraId: t.int({ resolve: (e) => e.cameraId }),
    frameNumber: t.exposeInt('frameNumber'),
    timestamp: t.field({ type: 'DateTime', description: 'When the frame was captured.', resolve: (e) => new Date(e.timestamp) }),
    mediaTimeMs: t.exposeFloat('mediaTimeMs', { nullable: true, description: 'Position in a video file; null for live sources.' }),
    width: t.exposeInt('width'),
    height: t.exposeInt('height'),
    latencyMs: t.exposeFloat('latencyMs', { description: 'Capture to result.' }),
    faces: t.field({ type: [LiveFaceRef], resolve: (e) => e.faces }),
  }),
});

const RecognizedFaceRef = builder.objectRef<RecognizedEvent>('LiveRecognition').implement({
  description: "A track's decided identity: one event per person walking past.",
  fields: (t) => ({
    cameraId: t.int({ resolve: (e) => e.cameraId }),
    trackId: t.exposeInt('trackId'),
    employeeId: t.int({ resolve: (e) => e.employeeId }),
    employee: t.field({ type: EmployeeRef, nullable: true, resolve: (e, _args, ctx) => ctx.loaders.employeeById.load(e.employeeId) }),
    confidence: t.exposeFloat('confidence'),
    method: t.field({ type: AttendanceMethodEnum, resolve: (e) => e.method }),
    at: t.field({ type: 'DateTime', description: 'When the vote decided.', resolve: (e) => new Date(e.at) }),
    firstSeenAt: t.field({ type: 'DateTime', description: "The track's first frame.", resolve: (e) => new Date(e.firstSeenAt) }),
    frameNumber: t.exposeInt('frameNumber'),
    mediaTimeMs: t.exposeFloat('mediaTimeMs', { nullable: true }),
    box: t.floatList({ resolve: (e) => [...e.box] }),
  }),
});

builder.subscriptionFields((t) => ({
  recognitionFrames: t.field({
    type: RecognitionFrameRef,
    description: 'Every processed frame of one camera (NOT_FOUND for an unknown id). A slow subscriber skips frames; it never slows the camera.',
    authScopes: { permission: 'cameras:read' },
    args: { cameraId: t.arg.int({ required: true }) },
    subscribe: (_root, args, ctx) => r.recognitionFrames(args, ctx),
    resolve: (event) => event,
  }),
  recognized: t.field({
    type: RecognizedFaceRef,
    description: 'Decided identities of one camera, or of all.',
    authScopes: { permission: 'cameras:read' },
    args: { cameraId: t.arg.int() },
    subscribe: (_root, args, ctx) => r.recognized(args, ctx),
    resolve: (event, _args, ctx) => r.recognizedEvent(event, ctx),
  }),
}));
