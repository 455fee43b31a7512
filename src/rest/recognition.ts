// POST /api/v1/recognition/recognize: the replaced service's shape
// (`{"frame_data": <base64>}` → `{"faces": [...]}` with null employee fields
// for unknown faces), plus multipart upload of the image (field `file` or any
// file part; `log_attendance` / `camera_id` as form fields).
import multipart from '@fastify/multipart';
import type { FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppContext } from '../context.js';
import { ValidationError } from '../domain/errors.js';
import { decodeBase64Image } from '../enrollment/base64-image.js';
import type { FaceResult } from '../services/recognition-service.js';
import { recognizeOnce } from '../idempotency/recognize-once.js';
import { checkIdempotencyKey } from '../idempotency/idempotency-store.js';
import { errorResponses } from './common.js';

const recognizeBody = z
  .object({
    frame_data: z.string().min(1).describe('Base64 JPEG/PNG (a data: URL prefix is accepted)'),
    log_attendance: z.boolean().optional().describe('Default true: recognized faces are logged as attendance'),
    camera_id: z.number().int().positive().nullable().optional(),
  })
  .describe('JSON body; or multipart/form-data with the image as a file part');

const attendanceJson = z
  .object({
    status: z.enum(['logged', 'duplicate', 'queued', 'rejected', 'failed']),
    log_id: z.number().int().nullable(),
    event_id: z.string().nullable(),
    reason: z.string().nullable(),
  })
  .describe('What happened to the attendance log of a recognized face');

const faceJson = z.object({
  bbox: z.array(z.number()).length(4).describe('x1, y1, x2, y2 in image pixels'),
  employee_id: z.number().int().nullable(),
  employee_code: z.string().nullable(),
  employee_name: z.string().nullable(),
  confidence_score: z.number(),
  recognition_method: z.enum(['svm', 'cosine']).nullable(),
  quality: z.number().describe('0..1 face quality score'),
  quality_issues: z.array(z.string()),
  pose: z.object({ yaw: z.number(), pitch: z.number(), roll: z.number() }),
  reason: z
    .enum(['no_face', 'low_quality', 'below_threshold', 'ambiguous', 'spoof'])
    .nullable()
    .describe('Why a face is unknown; spoof = judged not live (printed photo, screen): never recognized or logged'),
  liveness: z
    .object({ score: z.number().describe('P(live) 0..1'), live: z.boolean().describe('score >= LIVENESS_THRESHOLD') })
    .nullable()
    .describe(
      'Passive liveness; null when LIVENESS_MODE=off, or when the face fills the picture too much to be judged (a badge crop, a face against the lens): then the face is named but never logged (attendance rejected, reason liveness_unverified)',
    ),
  attendance: attendanceJson.optional(),
});

const recognizeResponse = z.object({
  faces: z.array(faceJson),
  reason: z.literal('no_face').optional(),
  image: z.object({ width: z.number().int(), height: z.number().int() }),
  model_pack: z.string(),
  processing_time_ms: z.number(),
});

function faceToJson(f: FaceResult): z.output<typeof faceJson> {
  const a = f.attendance;
  return {
    bbox: [...f.box].map((v) => Math.round(v * 10) / 10),
    employee_id: f.employee?.id ?? null,
    employee_code: f.employee?.employeeCode ?? null,
    employee_name: f.employee?.fullName ?? null,
    confidence_score: Math.round(f.confidence * 10_000) / 10_000,
    recognition_method: f.method,
    quality: Math.round(f.quality.score * 1000) / 1000,
    quality_issues: [...f.quality.issues],
    pose: { yaw: f.quality.yaw, pitch: f.quality.pitch, roll: f.quality.roll },
    reason: f.reason,
    liveness: f.liveness ? { score: Math.round(f.liveness.score * 1e6) / 1e6, live: f.liveness.live } : null,
    ...(a
      ? {
          attendance: {
            status: a.kind,
            log_id: a.kind === 'logged' ? a.logId : a.kind === 'duplicate' ? a.existingLogId : null,
            event_id: a.kind === 'logged' || a.kind === 'queued' ? a.eventId : null,
            reason: a.kind === 'duplicate' || a.kind === 'rejected' ? a.reason : a.kind === 'failed' ? a.message : null,
          },
        }
      : {}),
  };
}

interface FrameInput {
  image: Uint8Array;
  logAttendance?: boolean;
  cameraId?: number | null;
}

const formBool = (v: string | undefined): boolean | undefined => (v === undefined ? undefined : !/^(false|0|no)$/i.test(v));

async function readMultipart(request: FastifyRequest): Promise<FrameInput> {
  let image: Uint8Array | undefined;
  const fields: Record<string, string> = {};
  for await (const part of request.parts()) {
    if (part.type === 'file') {
      image ??= new Uint8Array(await part.toBuffer());
    } else if (typeof part.value === 'string') {
      fields[part.fieldname] = part.value;
    }
  }
  if (!image) {
    throw new ValidationError([{ path: ['file'], message: 'multipart body needs an image file part' }]);
  }
  const cameraId = fields.camera_id === undefined ? undefined : Number(fields.camera_id);
  if (cameraId !== undefined && (!Number.isInteger(cameraId) || cameraId <= 0)) {
    throw new ValidationError([{ path: ['camera_id'], message: 'must be a positive integer' }]);
  }
  const logAttendance = formBool(fields.log_attendance);
  return { image, ...(logAttendance === undefined ? {} : { logAttendance }), ...(cameraId === undefined ? {} : { cameraId }) };
}

export const recognitionRoutes: FastifyPluginAsyncZod<{ deps: AppContext }> = async (app, { deps }) => {
  // Scoped to this plugin: other routes keep their JSON-only bodies.
  await app.register(multipart, { limits: { fileSize: deps.config.BODY_LIMIT_BYTES, files: 1, fields: 8 } });

  app.post('/recognition/recognize', {
    config: { auth: 'recognition:submit' },
    schema: {
      tags: ['recognition'],
      summary: 'Recognize every face in one frame (and log attendance for the recognized)',
      description:
        'Send an `Idempotency-Key` header (1-255 printable characters, unique per frame) to make retries safe: the same key ' +
        'with the same frame returns the first answer (header `idempotent-replayed: true`) and logs nothing again; ' +
        'the same key with another frame is 422, while the first request still runs 409.',
      headers: z.object({ 'idempotency-key': z.string().optional() }).passthrough(),
      // multipart requests reach validation with a null body; the handler reads their parts.
      body: recognizeBody.nullish(),
      response: { 200: recognizeResponse, ...errorResponses(400, 401, 403, 409, 413, 422, 429, 503) },
    },
    handler: async (request, reply) => {
      let input: FrameInput;
      if (request.isMultipart()) {
        input = await readMultipart(request);
      } else if (request.body) {
        const b = request.body;
        input = {
          image: decodeBase64Image(b.frame_data, ['frame_data'], deps.config.BODY_LIMIT_BYTES),
          ...(b.log_attendance === undefined ? {} : { logAttendance: b.log_attendance }),
          ...(b.camera_id === undefined ? {} : { cameraId: b.camera_id }),
        };
      } else {
        throw new ValidationError([{ path: ['frame_data'], message: 'Field required' }]);
      }
      // A kiosk key bound to a camera logs for that camera unless told otherwise.
      const cameraId = input.cameraId !== undefined ? input.cameraId : (request.caller?.cameraId ?? null);
      // Idempotency-Key: a retry gets the stored answer of the first request (scoped to this API key).
      const header = request.headers['idempotency-key'];
      const idempotencyKey = typeof header === 'string' ? checkIdempotencyKey(header, ['header', 'Idempotency-Key']) : null;
      const result = await recognizeOnce(deps.services, request.caller, input.image, {
        idempotencyKey,
        caller: request.caller ?? null,
        cameraId,
        ...(input.logAttendance === undefined ? {} : { logAttendance: input.logAttendance }),
      });
      if (result.replayed) {
        void reply.header('idempotent-replayed', 'true');
      }
      return {
        faces: result.faces.map(faceToJson),
        ...(result.reason ? { reason: result.reason } : {}),
        image: { width: result.width, height: result.height },
        model_pack: result.modelId,
        processing_time_ms: result.timingsMs.total,
      };
    },
  });
};
