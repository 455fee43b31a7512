// Enrollment REST shims with the replaced service's paths and snake_case JSON:
// register/start → session_id, register/frame/{session_id} (base64 JSON or a
// multipart `frame` file part) → per-frame feedback, register/complete, and
// /employees/{id}/photos. They call the same service as GraphQL.
import multipart from '@fastify/multipart';
import type { FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppContext } from '../context.js';
import { ValidationError } from '../domain/errors.js';
import { decodeBase64Image } from '../enrollment/base64-image.js';
import type { CoverageSummary } from '../enrollment/coverage.js';
import type { FrameFeedback } from '../enrollment/feedback-types.js';
import { requireCaller } from '../http/route-auth.js';
import type { EnrollmentResult, EnrollmentSessionView } from '../enrollment/enrollment-views.js';
import { detailBody, errorResponses, idParams, isoDate, isoDateOrNull } from './common.js';

const poseJson = z.object({ yaw: z.number(), pitch: z.number(), roll: z.number() });

const feedbackJson = z
  .object({
    session_id: z.string(),
    status: z.enum(['accepted', 'rejected']),
    frame_number: z.number().int(),
    timestamp: z.number(),
    face_status: z.enum(['one_face', 'no_face', 'multiple_faces', 'invalid_image']),
    rejection: z.string().nullable().describe('invalid_image | no_face | multiple_faces | not_live | low_quality | between_sectors | different_person | duplicate_frame'),
    face_count: z.number().int(),
    quality: z.object({ ok: z.boolean(), score: z.number(), reasons: z.array(z.string()) }),
    pose: poseJson.nullable(),
    sector: z.string().nullable(),
    newly_covered: z.boolean(),
    covered_sectors: z.array(z.string()),
    missing_sectors: z.array(z.string()),
    progress: z.number(),
    complete: z.boolean().describe('Coverage is enough to complete'),
    instruction: z.string(),
    instruction_code: z.string(),
  })
  .describe('Feedback for one enrollment frame');

const coverageJson = z.object({
  covered: z.array(z.string()),
  missing: z.array(z.string()),
  progress: z.number(),
  complete: z.boolean(),
  frames_seen: z.number().int(),
  frames_accepted: z.number().int(),
});

const sessionJson = z.object({
  session_id: z.string(),
  status: z.enum(['active', 'completed', 'cancelled', 'expired']),
  employee_id: z.number().int().nullable(),
  frame_count: z.number().int(),
  coverage: coverageJson.nullable(),
  failure_reason: z.string().nullable(),
  expires_at: z.string(),
  created_at: z.string(),
  completed_at: z.string().nullable(),
});

const templatesJson = z.object({ samples: z.number().int(), augmented: z.number().int(), mean: z.number().int(), total: z.number().int() });

const completeJson = z.object({
  success: z.literal(true),
  session_id: z.string().nullable(),
  employee_id: z.number().int(),
  employee_code: z.string(),
  full_name: z.string(),
  created: z.boolean(),
  templates: templatesJson,
  templates_created: z.number().int().describe('All templates stored (samples + augmented + mean)'),
  coverage: coverageJson.nullable(),
  message: z.string(),
});

const startBody = z.object({
  employee_code: z.string().describe('New employee; or employee_id to re-enroll').optional(),
  full_name: z.string().optional(),
  email: z.string().nullable().optional(),
  department: z.string().nullable().optional(),
  employee_id: z.number().int().positive().optional().describe('Re-enroll an existing employee'),
});

const frameBody = z
  .object({
    frame_data: z.string().min(1).describe('Base64 JPEG/PNG (a data: URL prefix is accepted)'),
    frame_number: z.number().int().min(0),
    timestamp: z.number().nullable().optional().describe('Client time, ms'),
  })
  .describe('JSON body; or multipart/form-data with a `frame` file part and frame_number / timestamp fields');

const photosBody = z.object({ photos: z.array(z.string().min(1)).min(1).describe('Base64 JPEG/PNG photos, one face each') });

const coverageToJson = (c: CoverageSummary | null): z.output<typeof coverageJson> | null =>
  c === null
    ? null
    : { covered: c.covered, missing: c.missing, progress: c.progress, complete: c.complete, frames_seen: c.framesSeen, frames_accepted: c.framesAccepted };

function sessionToJson(s: EnrollmentSessionView): z.output<typeof sessionJson> {
  return {
    session_id: s.id,
    status: s.status,
    employee_id: s.employeeId,
    frame_count: s.frameCount,
    coverage: coverageToJson(s.coverage),
    failure_reason: s.failureReason,
    expires_at: isoDate(s.expiresAt),
    created_at: isoDate(s.createdAt),
    completed_at: isoDateOrNull(s.completedAt),
  };
}

export function feedbackToJson(sessionId: string, f: FrameFeedback): z.output<typeof feedbackJson> {
  return {
    session_id: sessionId,
    status: f.status,
    frame_number: f.frameNumber,
    timestamp: f.timestamp,
    face_status: f.faceStatus,
    rejection: f.status === 'rejected' ? f.rejection : null,
    face_count: f.faceCount,
    quality: { ok: f.quality.ok, score: f.quality.score, reasons: [...f.quality.reasons] },
    pose: f.pose ?? null,
    sector: f.sector ?? null,
    newly_covered: f.status === 'accepted' && f.newlyCovered,
    covered_sectors: f.coveredSectors,
    missing_sectors: f.missingSectors,
    progress: f.progress,
    complete: f.complete,
    instruction: f.instruction,
    instruction_code: f.instructionCode,
  };
}

function resultToJson(r: EnrollmentResult): z.output<typeof completeJson> {
  return {
    success: true,
    session_id: r.sessionId,
    employee_id: r.employee.id,
    employee_code: r.employee.employeeCode,
    full_name: r.employee.fullName,
    created: r.created,
    templates: r.templates,
    templates_created: r.templates.total,
    coverage: coverageToJson(r.coverage),
    message: `Enrolled ${r.employee.fullName} with ${r.templates.total} templates`,
  };
}

async function readFrameMultipart(request: FastifyRequest): Promise<{ image: Uint8Array; frameNumber: number; timestamp: number | null }> {
  let image: Uint8Array | undefined;
  const fields: Record<string, string> = {};
  for await (const part of request.parts()) {
    if (part.type === 'file') {
      if (part.fieldname === 'frame' || image === undefined) {
        image = new Uint8Array(await part.toBuffer());
      } else {
        await part.toBuffer();
      }
    } else if (typeof part.value === 'string') {
      fields[part.fieldname] = part.value;
    }
  }
  if (image === undefined) {
    throw new ValidationError([{ path: ['frame'], message: 'multipart body needs a `frame` file part' }]);
  }
  const frameNumber = Number(fields.frame_number);
  if (fields.frame_number === undefined || !Number.isInteger(frameNumber) || frameNumber < 0) {
    throw new ValidationError([{ path: ['frame_number'], message: 'must be a non-negative integer' }]);
  }
  const timestamp = fields.timestamp === undefined || fields.timestamp === '' ? null : Number(fields.timestamp);
  if (timestamp !== null && !Number.isFinite(timestamp)) {
    throw new ValidationError([{ path: ['timestamp'], message: 'must be a number' }]);
  }
  return { image, frameNumber, timestamp };
}

export const enrollmentRoutes: FastifyPluginAsyncZod<{ deps: AppContext }> = async (app, { deps }) => {
  // Scoped to this plugin: other routes keep their JSON-only bodies.
  await app.register(multipart, { limits: { fileSize: deps.config.BODY_LIMIT_BYTES, files: 1, fields: 8 } });
  const service = deps.services.enrollment;
  const limit = deps.config.BODY_LIMIT_BYTES;

  app.post('/employees/register/start', {
    config: { auth: 'enrollment:session' },
    schema: {
      tags: ['enrollment'],
      summary: 'Start a guided enrollment session (new employee data, or employee_id to re-enroll)',
      body: startBody,
      response: { 200: sessionJson, ...errorResponses(401, 403, 404, 409, 422, 503) },
    },
    handler: async (request) => {
      const b = request.body;
      const caller = requireCaller(request);
      if (b.employee_id !== undefined) {
        return sessionToJson(await service.startSession(caller, { employeeId: b.employee_id }));
      }
      if (b.employee_code === undefined || b.full_name === undefined) {
        throw new ValidationError([{ path: b.employee_code === undefined ? ['employee_code'] : ['full_name'], message: 'Field required' }]);
      }
      const view = await service.startSession(caller, {
        employee: { employeeCode: b.employee_code, fullName: b.full_name, email: b.email ?? null, department: b.department ?? null },
      });
      return sessionToJson(view);
    },
  });

  app.post('/employees/register/frame/:session_id', {
    config: { auth: 'enrollment:session' },
    schema: {
      tags: ['enrollment'],
      summary: 'Submit one frame; answers at once with feedback (face, quality, pose, covered sectors, instruction)',
      params: z.object({ session_id: z.string().min(1).max(64) }),
      body: frameBody.nullish(),
      response: { 200: feedbackJson, 410: detailBody, ...errorResponses(400, 401, 403, 404, 409, 413, 422, 503) },
    },
    handler: async (request) => {
      const sessionId = request.params.session_id;
      let frame: { image: Uint8Array; frameNumber: number; timestamp: number | null };
      if (request.isMultipart()) {
        frame = await readFrameMultipart(request);
      } else if (request.body) {
        const b = request.body;
        frame = { image: decodeBase64Image(b.frame_data, ['frame_data'], limit), frameNumber: b.frame_number, timestamp: b.timestamp ?? null };
      } else {
        throw new ValidationError([{ path: ['frame_data'], message: 'Field required' }]);
      }
      const feedback = await service.submitFrame(requireCaller(request), sessionId, frame.image, {
        frameNumber: frame.frameNumber,
        timestamp: frame.timestamp,
      });
      return feedbackToJson(sessionId, feedback);
    },
  });

  app.post('/employees/register/complete', {
    config: { auth: 'enrollment:session' },
    schema: {
      tags: ['enrollment'],
      summary: 'Complete a session: best frames per sector, augmentation, duplicate-identity check, templates stored',
      body: z.object({ session_id: z.string().min(1).max(64) }),
      response: { 200: completeJson, 410: detailBody, ...errorResponses(401, 403, 404, 409, 422, 503) },
    },
    handler: async (request) => resultToJson(await service.complete(requireCaller(request), request.body.session_id)),
  });

  app.get('/employees/register/:session_id', {
    config: { auth: 'enrollment:session' },
    schema: {
      tags: ['enrollment'],
      summary: 'State of an enrollment session',
      params: z.object({ session_id: z.string().min(1).max(64) }),
      response: { 200: sessionJson, ...errorResponses(401, 403, 404) },
    },
    handler: async (request) => sessionToJson(await service.getSession(requireCaller(request), request.params.session_id)),
  });

  app.post('/employees/register/cancel', {
    config: { auth: 'enrollment:session' },
    schema: {
      tags: ['enrollment'],
      summary: 'Cancel a session (nothing is stored)',
      body: z.object({ session_id: z.string().min(1).max(64) }),
      response: { 200: sessionJson, 410: detailBody, ...errorResponses(401, 403, 404, 409) },
    },
    handler: async (request) => sessionToJson(await service.cancel(requireCaller(request), request.body.session_id)),
  });

  app.post('/employees/:id/photos', {
    config: { auth: 'enrollment:write' },
    schema: {
      tags: ['enrollment'],
      summary: 'Enroll an existing employee from still photos (one usable face each); replaces their templates',
      params: idParams,
      body: photosBody,
      response: { 200: completeJson, ...errorResponses(401, 403, 404, 409, 413, 422, 503) },
    },
    handler: async (request) => {
      const photos = request.body.photos.map((p, i) => decodeBase64Image(p, ['photos', i], limit));
      return resultToJson(await service.enrollFromPhotos(requireCaller(request), request.params.id, photos));
    },
  });
};
