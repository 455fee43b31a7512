// snake_case shapes of cameras and their live state for the REST API (the old
// service's field style), shared by the camera and live-recognition routes.
import { z } from 'zod';
import type { CameraInfo } from '../cameras/camera-info.js';
import { redactSource } from '../cameras/source.js';
import type { Camera } from '../generated/prisma/client.js';
import { isoDate } from './common.js';

const iso = (ms: number | null): string | null => (ms === null ? null : new Date(ms).toISOString());

export const cameraInfoJson = z
  .object({
    camera_id: z.number().int(),
    owner: z.string().nullable().describe('The server instance capturing the camera (instance_id of /system/info); null when none does'),
    name: z.string().nullable(),
    source: z.string().describe('Any URL password shown as ***'),
    state: z.enum(['connecting', 'connected', 'reconnecting', 'stopped']),
    error: z.string().nullable(),
    stopped_reason: z.enum(['requested', 'ended']).nullable(),
    reconnect_attempt: z.number().int(),
    next_retry_at: z.string().nullable(),
    width: z.number().int().nullable(),
    height: z.number().int().nullable(),
    source_fps: z.number().nullable(),
    fps_in: z.number(),
    fps_processed: z.number(),
    predict_interval: z.number().int(),
    frames_captured: z.number().int(),
    frames_processed: z.number().int(),
    frames_dropped: z.number().int().describe('Lost to back-pressure'),
    frames_failed: z.number().int(),
    latency_ms: z.object({ last: z.number().nullable(), p50: z.number().nullable(), p95: z.number().nullable(), max: z.number().nullable() }),
    active_tracks: z.number().int(),
    recognitions: z.number().int(),
    started_at: z.string().nullable(),
    last_frame_at: z.string().nullable(),
  })
  .describe('CameraInfo');

export function toCameraInfoJson(i: CameraInfo): z.output<typeof cameraInfoJson> {
  return {
    camera_id: i.cameraId,
    owner: i.owner ?? null,
    name: i.name,
    source: i.source,
    state: i.state,
    error: i.error,
    stopped_reason: i.stoppedReason,
    reconnect_attempt: i.reconnectAttempt,
    next_retry_at: iso(i.nextRetryAt),
    width: i.width,
    height: i.height,
    source_fps: i.sourceFps,
    fps_in: i.fpsIn,
    fps_processed: i.fpsProcessed,
    predict_interval: i.predictInterval,
    frames_captured: i.framesCaptured,
    frames_processed: i.framesProcessed,
    frames_dropped: i.framesDropped,
    frames_failed: i.framesFailed,
    latency_ms: i.latencyMs,
    active_tracks: i.activeTracks,
    recognitions: i.recognitions,
    started_at: iso(i.startedAt),
    last_frame_at: iso(i.lastFrameAt),
  };
}

export const cameraJson = z
  .object({
    id: z.number().int(),
    name: z.string(),
    source_kind: z.enum(['device', 'rtsp', 'http', 'file']),
    source: z.string(),
    loop: z.boolean(),
    width: z.number().int().nullable(),
    height: z.number().int().nullable(),
    fps: z.number().int().nullable(),
    predict_interval: z.number().int(),
    realtime: z.boolean(),
    enabled: z.boolean(),
    created_at: z.string(),
    updated_at: z.string(),
    info: cameraInfoJson,
  })
  .describe('Camera');

export function toCameraJson(c: Camera, info: CameraInfo): z.output<typeof cameraJson> {
  return {
    id: c.id,
    name: c.name,
    source_kind: c.sourceKind,
    source: redactSource(c.source),
    loop: c.loop,
    width: c.width,
    height: c.height,
    fps: c.fps,
    predict_interval: c.predictInterval,
    realtime: c.realtime,
    enabled: c.enabled,
    created_at: isoDate(c.createdAt),
    updated_at: isoDate(c.updatedAt),
    info: toCameraInfoJson(info),
  };
}
