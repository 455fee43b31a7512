// Camera service: the cameras' settings (Camera table, through its
// repository), the live cameras of this process (CameraManager: start, stop,
// info), and where their events go (the `recognitionFrames` and `recognized`
// topics for subscribers, attendance, the recent-recognitions log). GraphQL
// resolvers and REST routes both call it. One per app
// (src/services/create-services.ts).
//
// `enabled` is the persisted switch (cameras start with the server);
// startCamera / stopCamera act on the running process only.
import type { Logger } from 'pino';
import type { Config } from '../config.js';
import type { Caller } from '../auth/caller.js';
import type { CameraInfo } from '../cameras/camera-info.js';
import type { CameraPlacement, LocalCameras } from '../cameras/camera-placement.js';
import type { CameraAttackEvent } from '../cameras/events.js';
import { DEFAULT_TRACK_LIVENESS } from '../cameras/track-liveness.js';
import { CameraManager } from '../cameras/camera-manager.js';
import type { CameraRepository } from '../cameras/camera-repository.js';
import {
  normalizeSource,
  parseCameraChange,
  parseNewCamera,
  specOf,
  stoppedInfo,
  type CreateCameraInput,
  type UpdateCameraInput,
} from '../cameras/camera-settings.js';
import { envCamera } from '../cameras/env-camera.js';
import { FramePreviews } from '../cameras/frame-previews.js';
import type { EventPublisher } from '../events/event-bus.js';
import { cameraId as toCameraId } from '../domain/ids.js';
import { NotFoundError, UnavailableError } from '../domain/errors.js';
import { FACE_MODELS_MISSING } from '../engine/require-face-engine.js';
import type { FaceEngine } from '../engine/face-engine.js';
import type { Camera } from '../generated/prisma/client.js';
import type { AttendanceService } from './attendance-service.js';
import type { EmployeeDirectory } from '../live/employee-directory.js';
import { RecentRecognitions, type RecentRecognition, type RecentRecognitionLog } from '../live/recent-recognitions.js';
import { createRecognitionSink } from '../live/recognition-sink.js';
import type { LivenessService } from './liveness-service.js';
import type { RecognitionModels } from './recognition-models.js';

export type { Camera, CreateCameraInput, UpdateCameraInput };

export interface CameraService {
  /** Each camera's latest picture as JPEG, encoded only while someone watches (the web app's /live). */
  readonly previews: FramePreviews;
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
  /** Decided identities, newest first: of every instance's cameras when the log is shared. */
  recent(options?: { limit?: number; cameraId?: number }): Promise<RecentRecognition[]>;
  /** Upserts the environment's camera (awaited), then starts every enabled camera in the background once the recognition models are loaded. */
  boot(): Promise<void>;
  /** Stops every camera (app stop). */
  shutdown(): Promise<void>;
  /** For tests and benchmarks: resolves when the camera has nothing queued or in the engine. */
  idle(id: number): Promise<void>;
}

export interface CameraServiceDeps {
  cameras: CameraRepository;
  config: Parameters<typeof envCamera>[0] & Pick<Config, 'CAMERA_WIDTH' | 'CAMERA_HEIGHT' | 'CAMERA_FPS' | 'PREDICT_INTERVAL' | 'CAMERA_MEDIA_DIRS'>;
  log: Logger;
  faceEngine: FaceEngine | null;
  /** Frames and decisions go out on the app's pub/sub. */
  events: EventPublisher;
  models: Pick<RecognitionModels, 'ready' | 'recognizer'>;
  attendance: Pick<AttendanceService, 'recordRecognition'>;
  directory: EmployeeDirectory;
  /** Passive liveness per track; spoofed tracks are reported through it. */
  liveness: Pick<LivenessService, 'enabled' | 'threshold' | 'resembledEmployee' | 'report'>;
  /** This server instance (the `owner` of the cameras it runs). */
  instanceId: string;
  /** Several instances: which camera runs where (camera-placement.ts); without it every enabled camera runs here. */
  placement?: CameraPlacement;
  /** Where decisions are kept for the route (several instances: a list they share); default: a ring in this process. */
  recent?: RecentRecognitionLog;
}

export function createCameraService(deps: CameraServiceDeps): CameraService {
  const log = deps.log.child({ component: 'camera' });
  const recent = deps.recent ?? new RecentRecognitions();
  const previews = new FramePreviews();
  const directory = deps.directory;
  const engine = deps.faceEngine;
  let manager: CameraManager | null = null;
  let closed = false;
  let booting: Promise<void> | undefined;

  const sink = createRecognitionSink({
    publish: (event) => deps.events.publish('recognized', event),
    recent,
    instanceId: deps.instanceId,
    directory,
    recordRecognition: (event) => deps.attendance.recordRecognition(event),
    sessionStart: (event) => manager?.info(event.cameraId)?.startedAt ?? null,
    logger: log,
  });

  const reportCameraAttack = async (event: CameraAttackEvent): Promise<void> => {
    const resembled = event.resembled
      ? await deps.liveness.resembledEmployee(Number(event.resembled.employeeId), event.resembled.confidence, true).catch(() => null)
      : null;
    await deps.liveness.report(null, {
      source: 'camera',
      cameraId: Number(event.cameraId),
      reason: 'spoof',
      detail: `track ${event.trackId}: median passive liveness ${event.livenessScore.toPrecision(2)} over ${event.frames} frames`,
      livenessScore: event.livenessScore,
      resembled,
    });
  };

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
      runner: {
        onCaptured: (id, frame) => previews.offer(id, frame),
        ...(deps.liveness.enabled
          ? {
              liveness: { ...DEFAULT_TRACK_LIVENESS, threshold: deps.liveness.threshold },
              onPresentationAttack: (event: CameraAttackEvent) => void reportCameraAttack(event),
            }
          : {}),
      },
      onFrame: (event) => deps.events.publish('recognitionFrames', event),
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

  const find = (id: number): Promise<Camera> => deps.cameras.find(id);

  const placement = deps.placement;
  const infoOf = (camera: Camera): CameraInfo => {
    const here = manager?.info(toCameraId(camera.id));
    if (placement === undefined) {
      return { ...(here ?? stoppedInfo(camera)), owner: here !== undefined && here.state !== 'stopped' ? deps.instanceId : null };
    }
    const owner = placement.owner(camera.id);
    const info = owner !== null && owner !== deps.instanceId ? placement.remoteInfo(camera.id) : here;
    return { ...(info ?? stoppedInfo(camera)), owner };
  };

  /** The settings each camera was last started with here (a change of anything else needs no restart). */
  const launched = new Map<number, string>();
  const launchHere = async (camera: Camera): Promise<CameraInfo> => {
    launched.set(camera.id, JSON.stringify(specOf(camera)));
    return launch(camera);
  };
  const local: LocalCameras = {
    launch: async (id) => launchHere(await find(id)),
    halt: async (id, forget) => {
      launched.delete(id);
      await (forget ? manager?.remove(toCameraId(id)) : manager?.stop(toCameraId(id)));
    },
    apply: async (id) => {
      const camera = await find(id).catch((error: unknown) => {
        if (error instanceof NotFoundError) {
          return null;
        }
        throw error;
      });
      if (camera === null || !camera.enabled) {
        await local.halt(id, camera === null);
        return camera === null ? 'gone' : 'disabled';
      }
      if (launched.get(id) !== JSON.stringify(specOf(camera)) || manager?.isRunning(toCameraId(id)) !== true) {
        await launchHere(camera);
      }
      return 'running';
    },
    info: (id) => manager?.info(toCameraId(id)),
    enabled: async () => (await deps.cameras.list({ enabledOnly: true })).map((c) => c.id),
  };

  /** After a change: running cameras pick up new settings, disabled ones stop, enabled ones start. */
  const apply = async (camera: Camera, before?: Camera): Promise<void> => {
    if (placement !== undefined) {
      // The camera's owner applies it, wherever it runs.
      await placement.changed(camera.id);
      return;
    }
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
    await deps.cameras.upsertEnvironmentCamera(env.camera);
    if (engine === null) {
      log.warn('environment camera saved but not started: ' + FACE_MODELS_MISSING);
    }
  };

  return {
    previews,
    list: () => deps.cameras.list(),
    get: find,

    async create(caller, input) {
      const data = parseNewCamera(input);
      const camera = await deps.cameras.create(caller, {
        ...data,
        ...(await normalizeSource(data.source, data.loop ?? false, deps.config.CAMERA_MEDIA_DIRS)),
      });
      await apply(camera);
      return camera;
    },

    async update(caller, id, input) {
      const data = parseCameraChange(input);
      const before = await find(id);
      const source =
        data.source === undefined ? undefined : await normalizeSource(data.source, data.loop ?? before.loop, deps.config.CAMERA_MEDIA_DIRS);
      const camera = await deps.cameras.update(caller, before, { ...data, ...source });
      await apply(camera, before);
      return camera;
    },

    async delete(caller, id) {
      const before = await find(id);
      await manager?.remove(toCameraId(id));
      await deps.cameras.delete(caller, before);
      await placement?.changed(id);
      return before;
    },

    async start(id) {
      const camera = await find(id);
      if (placement !== undefined) {
        return { ...(await placement.startCamera(id)), owner: placement.owner(id) };
      }
      return { ...(await launch(camera)), owner: deps.instanceId };
    },

    async stop(id) {
      const camera = await find(id);
      if (placement !== undefined) {
        const stopped = await placement.stopCamera(id);
        return stopped === undefined ? infoOf(camera) : { ...stopped, owner: placement.owner(id) };
      }
      await manager?.stop(toCameraId(id));
      return infoOf(camera);
    },

    async info(id) {
      const cameras = id === undefined ? await deps.cameras.list() : [await find(id)];
      return cameras.map(infoOf);
    },
    infoOf,

    recent: (options = {}) =>
      recent.read({ ...(options.limit !== undefined && { limit: options.limit }), ...(options.cameraId !== undefined && { cameraId: toCameraId(options.cameraId) }) }),

    async boot() {
      // The environment's camera row exists once start() returns; the cameras
      // themselves start in the background (they wait for the models).
      await upsertEnvCamera().catch((error: unknown) => log.error({ err: error }, 'environment camera not saved'));
      if (engine === null || booting !== undefined) {
        return;
      }
      if (placement !== undefined) {
        // The leases decide which enabled cameras run here.
        booting = placement.start(local).catch((error: unknown) => log.error({ err: error }, 'camera placement failed to start'));
        return;
      }
      booting = (async () => {
        const cameras = await deps.cameras.list({ enabledOnly: true });
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
      await placement?.stop();
      await manager?.stopAll();
    },

    async idle(id) {
      await manager?.idle(toCameraId(id));
    },
  };
}
