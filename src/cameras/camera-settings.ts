// A camera's settings as the APIs give them: validation (zod), the source
// stored normalised, the spec a running camera is started from, and what
// cameraInfo shows for a camera that is not running.
import { z } from 'zod';
import { parseInput, validationErrorFromZod } from '../domain/errors.js';
import { cameraId as toCameraId } from '../domain/ids.js';
import type { Camera } from '../generated/prisma/client.js';
import type { CameraInfo } from './camera-info.js';
import type { CameraSpec } from './camera-manager.js';
import { formatCameraSource, parseCameraSource, redactSource } from './source.js';
import { checkSourcePolicy } from './source-policy.js';

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

/** Checks a new camera's settings; throws ValidationError listing every problem. */
export function parseNewCamera(input: CreateCameraInput): z.output<typeof createSchema> {
  return parseInput(createSchema, input);
}

/** Checks a change of settings (omitted fields stay). */
export function parseCameraChange(input: UpdateCameraInput): z.output<typeof updateSchema> {
  return parseInput(updateSchema, input);
}

/**
 * Validates a source as written through the API (a missing file or dead URL is
 * not an error here, only at run time) and stores it normalised: file paths
 * absolute, so they do not depend on the directory the server is started from.
 * Files only inside CAMERA_MEDIA_DIRS (the environment's CAMERA_SOURCE is
 * trusted and never comes here).
 */
export async function normalizeSource(
  source: string,
  loop: boolean,
  mediaDirs: readonly string[] | undefined,
): Promise<{ source: string; sourceKind: Camera['sourceKind'] }> {
  const parsed = parseCameraSource(source, { loop });
  if (!parsed.ok) {
    throw validationErrorFromZod([{ path: ['source'], message: parsed.error }]);
  }
  const refused = await checkSourcePolicy(parsed.source, mediaDirs);
  if (refused !== null) {
    throw validationErrorFromZod([{ path: ['source'], message: refused }]);
  }
  return { source: formatCameraSource(parsed.source), sourceKind: parsed.source.kind };
}

export function specOf(camera: Camera): CameraSpec {
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

export function stoppedInfo(camera: Camera): CameraInfo {
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
export function redacted(camera: Camera): Camera {
  return { ...camera, source: redactSource(camera.source) };
}
