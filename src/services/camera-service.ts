// Camera service: the Camera table (CRUD), the live cameras of this process
// (CameraManager: start, stop, info), and where their events go (the hub for
// subscribers, attendance, the recent-recognitions ring). GraphQL resolvers and
// REST routes both call it. One per app (src/services/create-services.ts).
//
// `enabled` is the persisted switch (cameras start with the server);
// startCamera / stopCamera act on the running process only.
import { z } from 'zod';
import type { Logger } from 'pino';
import type { Config } from '../config.js';
import type { Caller } from '../auth/caller.js';
import type { CameraInfo } from '../cameras/camera-events.js';
import { CameraNameTakenError } from '../cameras/camera-errors.js';
import { CameraManager, type CameraSpec } from '../cameras/camera-manager.js';
import { envCamera } from '../cameras/env-camera.js';
import type { CameraEventHub, LiveEventSource } from '../cameras/event-hub.js';
import { formatCameraSource, parseCameraSource, redactSource } from '../cameras/source.js';
import { cameraId as toCameraId } from '../domain/ids.js';
import { NotFoundError, UnavailableError, validationErrorFromZod } from '../domain/errors.js';
import { FACE_MODELS_MISSING } from '../engine/require-face-engine.js';
import type { FaceEngine } from '../engine/face-engine.js';
import type { Camera, PrismaClient } from '../generated/prisma/client.js';
import type { AttendanceService } from './attendance-service.js';
import { writeAudit } from '../audit/audit-repository.js';
import type { EmployeeDirectory } from '../live/employee-directory.js';
import { RecentRecognitions, type RecentRecognition } from '../live/recent-recognitions.js';
import { createRecognitionSink } from '../live/recognition-sink.js';
import type { RecognitionModels } from './recognition-models.js';

export type { Camera };

const fields = {
  name: z.string().trim().min(1, 'must not be empty').max(128),
  source: z.string().trim().min(1, 'must not be empty').max(1024),
  loop: z.boolean(),
  width: z.number().int().min(16).max(8192).nullable(),
  height: z.number().int().min(16).max(8192).nullable(),
  fps: z.number().int().min(1).max(240).nullable(),
  predictInterval: z.number().int().min(1).max(1000),
  realtime: z.boolean(),
  enabled: z.boolean(),
};
const createSchema = z.object({
  name: fields.name,
  source: fields.source,
  loop: fields.loop.optional(),
  width: fields.width.optional(),
  height: fields.height.optional(),
  fps: fields.fps.optional(),
  predictInterval: fields.predictInterval.optional(),
  realtime: fields.realtime.optional(),
  enabled: fields.enabled.optional(),
});
const updateSchema = createSchema.partial();

/** width/height/fps: null means "the server default" (CAMERA_WIDTH, CAMERA_HEIGHT, CAMERA_FPS). */
export type CreateCameraInput = z.input<typeof createSchema>;
export type UpdateCameraInput = z.input<typeof updateSchema>;

export interface CameraService {
  /** Subscriptions (GraphQL, SSE, the old WebSocket) read camera events here. */
  readonly events: LiveEventSource;
  list(): Promise<Camera[]>;
  get(id: number): Promise<Camera>;
  create(caller: Caller | null, input: CreateCameraInput): Promise<Camera>;
  update(caller: Caller | null, id: number, input: UpdateCameraInput): Promise<Camera>;
  delete(caller: Caller | null, id: number): Promise<Camera>;
  /** Starts (or restarts) the camera in this process; 503 without a face engine. */
  start(id: number): Promise<CameraInfo>;
  stop(id: number): Promise<CameraInfo>;
  /** Live state of every stored camera (or one); cameras not running read 'stopped'. */
  info(id?: number): Promise<CameraInfo[]>;
  /** The same for a row already read (no query). */
  infoOf(camera: Camera): CameraInfo;
  /** Decided identities, newest first. */
  recent(options?: { limit?: number; cameraId?: number }): RecentRecognition[];
  /** Upserts the environment's camera (awaited), then starts every enabled camera in the background once the recognition models are loaded. */
  boot(): Promise<void>;
  /** Stops every camera and ends every subscription (app stop). */
  shutdown(): Promise<void>;
  /** For tests and benchmarks: resolves when the camera has nothing queued or in the engine. */
  idle(id: number): Promise<void>;
}

export interface CameraServiceDeps {
  prisma: PrismaClient;
  config: Parameters<typeof envCamera>[0] & Pick<Config, 'CAMERA_WIDTH' | 'CAMERA_HEIGHT' | 'CAMERA_FPS' | 'PREDICT_INTERVAL'>;
  log: Logger;
  faceEngine: FaceEngine | null;
  /** Where frames and decisions go out to subscribers. */
  hub: CameraEventHub;
  models: Pick<RecognitionModels, 'ready' | 'recognizer'>;
  attendance: Pick<AttendanceService, 'recordRecognition'>;
  directory: EmployeeDirectory;
}

export function createCameraService(deps: CameraServiceDeps): CameraService {
  const log = deps.log.child({ component: 'camera' });
  const hub = deps.hub;
  const recent = new RecentRecognitions();
  const directory = deps.directory;
  const engine = deps.faceEngine;
  let manager: CameraManager | null = null;
  let closed = false;
  let booting: Promise<void> | undefined;

  const sink = createRecognitionSink({
    hub,
    recent,
    directory,
    recordRecognition: (event) => deps.attendance.recordRecognition(event),
    sessionStart: (event) => manager?.info(event.cameraId)?.startedAt ?? null,
    logger: log,
  });

  const managerOrThrow = (): CameraManager => {
    if (engine === null) {
      throw new UnavailableError(FACE_MODELS_MISSING);
    }
    manager ??= new CameraManager({
      engine,
      recognize: async (faces) => {
        const recognizer = deps.models.recognizer();
        if (recognizer === null) {
          return faces.map(() => ({ kind: 'unknown' as const, reason: 'no recognizer', confidence: 0 }));
        }
        return recognizer.recognize(
          faces.map((f) => f.embedding),
          faces.map((f) => f.quality),
        );
      },
      defaults: {
        width: deps.config.CAMERA_WIDTH,
        height: deps.config.CAMERA_HEIGHT,
        fps: deps.config.CAMERA_FPS,
        predictInterval: deps.config.PREDICT_INTERVAL,
      },
      logger: log,
      onFrame: (event) => hub.publishFrame(event),
      onRecognized: (event) => void sink(event),
    });
    return manager;
  };

  const launch = async (camera: Camera): Promise<CameraInfo> => {
    const m = managerOrThrow();
    // Frames must not reach a recognizer with an empty gallery while it loads.
    await deps.models.ready();
    if (closed) {
      throw new UnavailableError('server is shutting down');
    }
    return m.start(specOf(camera));
  };

  const find = async (id: number): Promise<Camera> => {
    const camera = await deps.prisma.camera.findUnique({ where: { id } });
    if (camera === null) {
      throw new NotFoundError('Camera', id);
    }
    return camera;
  };

  const infoOf = (camera: Camera): CameraInfo => manager?.info(toCameraId(camera.id)) ?? stoppedInfo(camera);

  /** After a change: running cameras pick up new settings, disabled ones stop, enabled ones start. */
  const apply = async (camera: Camera, before?: Camera): Promise<void> => {
    const id = toCameraId(camera.id);
    if (!camera.enabled) {
      await manager?.stop(id);
      return;
    }
    const unchanged = before !== undefined && JSON.stringify(specOf(before)) === JSON.stringify(specOf(camera));
    if (engine === null || (unchanged && manager?.isRunning(id) === true)) {
      return;
    }
    await launch(camera).catch((error: unknown) => log.error({ err: error, cameraId: id }, 'camera failed to start'));
  };

  const upsertEnvCamera = async (): Promise<void> => {
    const env = envCamera(deps.config);
    if (env.kind === 'invalid') {
      log.error({ error: env.error }, 'environment camera not started');
      return;
    }
    if (env.kind === 'none') {
      return;
    }
    const c = env.camera;
    const data = {
      sourceKind: c.source.kind,
      source: c.sourceText,
      loop: c.source.kind === 'file' && c.source.loop,
      width: c.width,
      height: c.height,
      fps: Math.round(c.fps),
      predictInterval: c.predictInterval,
      enabled: true,
    };
    await deps.prisma.camera.upsert({ where: { name: c.name }, create: { name: c.name, ...data }, update: data });
    if (engine === null) {
      log.warn('environment camera saved but not started: ' + FACE_MODELS_MISSING);
    }
  };

  return {
    events: hub,

    list: () => deps.prisma.camera.findMany({ orderBy: { id: 'asc' } }),
    get: find,

    async create(caller, input) {
      const data = parse(createSchema, input);
      const source = normalizeSource(data.source, data.loop ?? false);
      let camera: Camera;
      try {
        camera = await deps.prisma.$transaction(async (tx) => {
          const created = await tx.camera.create({ data: { ...data, ...source } });
          await writeAudit(tx, caller, { action: 'camera.create', entityType: 'camera', entityId: created.id, after: redacted(created) });
          return created;
        });
      } catch (error) {
        throw isUniqueViolation(error) ? new CameraNameTakenError(data.name) : error;
      }
      await apply(camera);
      return camera;
    },

    async update(caller, id, input) {
      const data = parse(updateSchema, input);
      const before = await find(id);
      const source = data.source === undefined ? undefined : normalizeSource(data.source, data.loop ?? before.loop);
      let camera: Camera;
      try {
        camera = await deps.prisma.$transaction(async (tx) => {
          const updated = await tx.camera.update({ where: { id }, data: { ...data, ...source } });
          await writeAudit(tx, caller, { action: 'camera.update', entityType: 'camera', entityId: id, before: redacted(before), after: redacted(updated) });
          return updated;
        });
      } catch (error) {
        throw isUniqueViolation(error) && data.name !== undefined ? new CameraNameTakenError(data.name) : error;
      }
      await apply(camera, before);
      return camera;
    },

    async delete(caller, id) {
      const before = await find(id);
      await manager?.remove(toCameraId(id));
      await deps.prisma.$transaction(async (tx) => {
        await tx.camera.delete({ where: { id } });
        await writeAudit(tx, caller, { action: 'camera.delete', entityType: 'camera', entityId: id, before: redacted(before) });
      });
      return before;
    },

    async start(id) {
      return launch(await find(id));
    },

    async stop(id) {
      const camera = await find(id);
      await manager?.stop(toCameraId(id));
      return infoOf(camera);
    },

    async info(id) {
      const cameras = id === undefined ? await deps.prisma.camera.findMany({ orderBy: { id: 'asc' } }) : [await find(id)];
      return cameras.map(infoOf);
    },
    infoOf,

    recent: (options = {}) =>
      recent.list({ ...(options.limit !== undefined && { limit: options.limit }), ...(options.cameraId !== undefined && { cameraId: toCameraId(options.cameraId) }) }),

    async boot() {
      // The environment's camera row exists once start() returns; the cameras
      // themselves start in the background (they wait for the models).
      await upsertEnvCamera().catch((error: unknown) => log.error({ err: error }, 'environment camera not saved'));
      if (engine === null || booting !== undefined) {
        return;
      }
      booting = (async () => {
        const cameras = await deps.prisma.camera.findMany({ where: { enabled: true }, orderBy: { id: 'asc' } });
        for (const camera of cameras) {
          if (closed) {
            return;
          }
          await launch(camera).catch((error: unknown) => log.error({ err: error, cameraId: camera.id }, 'camera failed to start'));
        }
        if (cameras.length > 0) {
          log.info({ cameras: cameras.map((c) => c.name) }, 'cameras started');
        }
      })().catch((error: unknown) => log.error({ err: error }, 'starting cameras failed'));
    },

    async shutdown() {
      closed = true;
      await booting;
      await manager?.stopAll();
      hub.closeAll();
    },

    async idle(id) {
      await manager?.idle(toCameraId(id));
    },
  };
}

function parse<S extends z.ZodType>(schema: S, input: unknown): z.output<S> {
  const result = schema.safeParse(input);
  if (!result.success) {
    throw validationErrorFromZod(result.error.issues);
  }
  return result.data;
}

/**
 * Validates a source as written (a missing file or dead URL is not an error
 * here, only at run time) and stores it normalised: file paths absolute, so
 * they do not depend on the directory the server is started from.
 */
function normalizeSource(source: string, loop: boolean): { source: string; sourceKind: Camera['sourceKind'] } {
  const parsed = parseCameraSource(source, { loop });
  if (!parsed.ok) {
    throw validationErrorFromZod([{ path: ['source'], message: parsed.error }]);
  }
  return { source: formatCameraSource(parsed.source), sourceKind: parsed.source.kind };
}

function specOf(camera: Camera): CameraSpec {
  return {
    id: toCameraId(camera.id),
    name: camera.name,
    source: camera.source,
    loop: camera.loop,
    width: camera.width,
    height: camera.height,
    fps: camera.fps,
    predictInterval: camera.predictInterval,
    realtime: camera.realtime,
  };
}

function stoppedInfo(camera: Camera): CameraInfo {
  return {
    cameraId: toCameraId(camera.id),
    name: camera.name,
    source: redactSource(camera.source) + (camera.sourceKind === 'file' && camera.loop ? ' (loop)' : ''),
    state: 'stopped',
    error: null,
    stoppedReason: null,
    reconnectAttempt: 0,
    nextRetryAt: null,
    width: null,
    height: null,
    sourceFps: null,
    fpsIn: 0,
    fpsProcessed: 0,
    predictInterval: camera.predictInterval,
    framesCaptured: 0,
    framesProcessed: 0,
    framesDropped: 0,
    framesFailed: 0,
    latencyMs: { last: null, p50: null, p95: null, max: null },
    activeTracks: 0,
    recognitions: 0,
    startedAt: null,
    lastFrameAt: null,
  };
}

/** Audit rows must not keep a stream password. */
function redacted(camera: Camera): Camera {
  return { ...camera, source: redactSource(camera.source) };
}

function isUniqueViolation(error: unknown): boolean {
  return typeof error === 'object' && error !== null && (error as { code?: unknown }).code === 'P2002';
}
