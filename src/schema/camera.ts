// Camera type, its live state (cameraInfo), queries and mutations, resolved by
// src/resolvers/cameras.ts. The live subscriptions are in camera-live.ts.
import type { CameraInfo } from '../cameras/camera-info.js';
import { CameraNameTakenError } from '../cameras/camera-errors.js';
import type { LatencySummary } from '../math/latency-window.js';
import { redactSource } from '../cameras/source.js';
import { NotFoundError, ValidationError } from '../domain/errors.js';
import type { Camera } from '../generated/prisma/client.js';
import { cameraResolvers as r } from '../resolvers/cameras.js';
import { builder } from './builder.js';
import { ErrorInterface } from './errors.js';

const CameraSourceKindEnum = builder.enumType('CameraSourceKind', { values: ['device', 'rtsp', 'http', 'file'] as const });

const CameraStateEnum = builder.enumType('CameraState', {
  description: 'reconnecting: the source failed or ended and is retried with exponential backoff.',
  values: ['connecting', 'connected', 'reconnecting', 'stopped'] as const,
});

const LatencyRef = builder.objectRef<LatencySummary>('CameraLatency').implement({
  description: 'Capture to result, milliseconds, over the last frames.',
  fields: (t) => ({
    last: t.exposeFloat('last', { nullable: true }),
    p50: t.exposeFloat('p50', { nullable: true }),
    p95: t.exposeFloat('p95', { nullable: true }),
    max: t.exposeFloat('max', { nullable: true }),
  }),
});

const ms = (value: number | null): Date | null => (value === null ? null : new Date(value));

export const CameraInfoRef = builder.objectRef<CameraInfo>('CameraInfo').implement({
  fields: (t) => ({
    cameraId: t.int({ resolve: (i) => i.cameraId }),
    owner: t.string({
      nullable: true,
      description: 'The server instance capturing the camera (its systemInfo.instanceId); null when none does.',
      resolve: (i) => i.owner ?? null,
    }),
    name: t.exposeString('name', { nullable: true }),
    source: t.exposeString('source', { description: 'Any URL password is shown as ***.' }),
    state: t.field({ type: CameraStateEnum, resolve: (i) => i.state }),
    error: t.exposeString('error', { nullable: true }),
    stoppedReason: t.string({ nullable: true, description: 'requested, or ended (a file that does not loop).', resolve: (i) => i.stoppedReason }),
    reconnectAttempt: t.exposeInt('reconnectAttempt'),
    nextRetryAt: t.field({ type: 'DateTime', nullable: true, resolve: (i) => ms(i.nextRetryAt) }),
    width: t.exposeInt('width', { nullable: true }),
    height: t.exposeInt('height', { nullable: true }),
    sourceFps: t.exposeFloat('sourceFps', { nullable: true }),
    fpsIn: t.exposeFloat('fpsIn'),
    fpsProcessed: t.exposeFloat('fpsProcessed'),
    predictInterval: t.exposeInt('predictInterval'),
    framesCaptured: t.exposeInt('framesCaptured'),
    framesProcessed: t.exposeInt('framesProcessed'),
    framesDropped: t.exposeInt('framesDropped', { description: 'Lost to back-pressure (PREDICT_INTERVAL skips are not drops).' }),
    framesFailed: t.exposeInt('framesFailed'),
    latencyMs: t.field({ type: LatencyRef, resolve: (i) => i.latencyMs }),
    activeTracks: t.exposeInt('activeTracks'),
    recognitions: t.exposeInt('recognitions'),
    startedAt: t.field({ type: 'DateTime', nullable: true, resolve: (i) => ms(i.startedAt) }),
    lastFrameAt: t.field({ type: 'DateTime', nullable: true, resolve: (i) => ms(i.lastFrameAt) }),
  }),
});

export const CameraRef = builder.objectRef<Camera>('Camera').implement({
  fields: (t) => ({
    id: t.exposeInt('id'),
    name: t.exposeString('name'),
    sourceKind: t.field({ type: CameraSourceKindEnum, resolve: (c) => c.sourceKind }),
    source: t.string({ description: 'Device index, stream URL (password shown as ***) or file path.', resolve: (c) => redactSource(c.source) }),
    loop: t.exposeBoolean('loop'),
    width: t.exposeInt('width', { nullable: true, description: 'null: CAMERA_WIDTH.' }),
    height: t.exposeInt('height', { nullable: true, description: 'null: CAMERA_HEIGHT.' }),
    fps: t.exposeInt('fps', { nullable: true, description: 'null: CAMERA_FPS.' }),
    predictInterval: t.exposeInt('predictInterval', { description: 'Process every Nth frame.' }),
    realtime: t.exposeBoolean('realtime', { description: 'Files: play at their frame rate (true) or as fast as the pipeline goes, losing no frame.' }),
    enabled: t.exposeBoolean('enabled', { description: 'Started with the server.' }),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
    updatedAt: t.expose('updatedAt', { type: 'DateTime' }),
    info: t.field({ type: CameraInfoRef, description: 'Live state in this server process.', resolve: (c, _args, ctx) => r.infoOf(c, ctx) }),
  }),
});

builder.objectType(CameraNameTakenError, {
  name: 'CameraNameTakenError',
  interfaces: [ErrorInterface],
  isTypeOf: (value) => value instanceof CameraNameTakenError,
  fields: (t) => ({ cameraName: t.exposeString('cameraName') }),
});

const CreateCameraInput = builder.inputType('CreateCameraInput', {
  fields: (t) => ({
    name: t.string({ required: true }),
    source: t.string({ required: true, description: 'Device index ("0"), rtsp:// or http(s):// URL, or a video file path.' }),
    loop: t.boolean({ description: 'Files: start again at the end.' }),
    width: t.int(),
    height: t.int(),
    fps: t.int(),
    predictInterval: t.int(),
    realtime: t.boolean(),
    enabled: t.boolean({ description: 'Default true: starts at once.' }),
  }),
});

const UpdateCameraInput = builder.inputType('UpdateCameraInput', {
  description: 'Omitted fields stay; null width/height/fps mean the server defaults. A running camera restarts with the new settings.',
  fields: (t) => ({
    name: t.string(),
    source: t.string(),
    loop: t.boolean(),
    width: t.int(),
    height: t.int(),
    fps: t.int(),
    predictInterval: t.int(),
    realtime: t.boolean(),
    enabled: t.boolean(),
  }),
});

builder.queryFields((t) => ({
  cameras: t.field({
    type: [CameraRef],
    authScopes: { permission: 'cameras:read' },
    resolve: (_root, _args, ctx) => r.cameras(ctx),
  }),
  camera: t.field({
    type: CameraRef,
    authScopes: { permission: 'cameras:read' },
    errors: { types: [NotFoundError], directResult: true },
    args: { id: t.arg.int({ required: true }) },
    resolve: (_root, args, ctx) => r.camera(args, ctx),
  }),
  cameraInfo: t.field({
    type: [CameraInfoRef],
    description: 'Live state of every camera, or of one.',
    authScopes: { permission: 'cameras:read' },
    args: { cameraId: t.arg.int() },
    resolve: (_root, args, ctx) => r.cameraInfo(args, ctx),
  }),
}));

builder.mutationFields((t) => ({
  createCamera: t.field({
    type: CameraRef,
    authScopes: { permission: 'cameras:manage' },
    errors: { types: [CameraNameTakenError, ValidationError], directResult: true },
    args: { input: t.arg({ type: CreateCameraInput, required: true }) },
    resolve: (_root, args, ctx) => r.createCamera(args, ctx),
  }),
  updateCamera: t.field({
    type: CameraRef,
    authScopes: { permission: 'cameras:manage' },
    errors: { types: [NotFoundError, CameraNameTakenError, ValidationError], directResult: true },
    args: { id: t.arg.int({ required: true }), input: t.arg({ type: UpdateCameraInput, required: true }) },
    resolve: (_root, args, ctx) => r.updateCamera(args, ctx),
  }),
  deleteCamera: t.field({
    type: CameraRef,
    authScopes: { permission: 'cameras:manage' },
    errors: { types: [NotFoundError], directResult: true },
    args: { id: t.arg.int({ required: true }) },
    resolve: (_root, args, ctx) => r.deleteCamera(args, ctx),
  }),
  startCamera: t.field({
    type: CameraInfoRef,
    description: 'Starts (or restarts) the camera in this server process; `enabled` is unchanged.',
    authScopes: { permission: 'cameras:manage' },
    errors: { types: [NotFoundError], directResult: true },
    args: { id: t.arg.int({ required: true }) },
    resolve: (_root, args, ctx) => r.startCamera(args, ctx),
  }),
  stopCamera: t.field({
    type: CameraInfoRef,
    description: 'Stops the camera in this server process; `enabled` is unchanged.',
    authScopes: { permission: 'cameras:manage' },
    errors: { types: [NotFoundError], directResult: true },
    args: { id: t.arg.int({ required: true }) },
    resolve: (_root, args, ctx) => r.stopCamera(args, ctx),
  }),
}));
