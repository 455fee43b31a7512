// Live recognition over REST, with the old service's paths and snake_case:
// per-camera state and the most recent decided identities.
import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { AppContext } from '../context.js';
import { cameraInfoJson, toCameraInfoJson } from './camera-json.js';
import { errorResponses } from './common.js';

const recognizedJson = z
  .object({
    camera_id: z.number().int(),
    track_id: z.number().int(),
    employee_id: z.number().int(),
    employee_name: z.string().nullable(),
    employee_code: z.string().nullable(),
    confidence_score: z.number(),
    recognition_method: z.enum(['svm', 'cosine', 'manual']),
    timestamp: z.string().describe('When the vote decided, ISO-8601'),
    first_seen_at: z.string(),
    frame_number: z.number().int(),
    bbox: z.array(z.number()).describe('[x1, y1, x2, y2]'),
    attendance: z.enum(['pending', 'logged', 'duplicate', 'queued', 'rejected', 'failed']).describe('What became of it in the attendance log'),
    instance_id: z.string().describe('The server instance whose camera decided it'),
  })
  .describe('Recognition');

export const liveRoutes: FastifyPluginAsyncZod<{ deps: AppContext }> = async (app, { deps }) => {
  const cameras = deps.services.cameras;
  const tags = ['recognition'];

  app.get('/recognition/camera/info', {
    config: { auth: 'cameras:read' },
    schema: {
      tags,
      summary: 'Live state of every camera (or one): connected / reconnecting / stopped, resolution, fps, frames, latency',
      querystring: z.object({ camera_id: z.coerce.number().int().positive().optional() }),
      response: { 200: z.object({ cameras: z.array(cameraInfoJson) }), ...errorResponses(401, 403, 404, 422) },
    },
    handler: async (request) => ({ cameras: (await cameras.info(request.query.camera_id)).map(toCameraInfoJson) }),
  });

  app.get('/recognition/recognized', {
    config: { auth: 'cameras:read' },
    schema: {
      tags,
      summary: 'Recent recognitions of the live cameras, newest first: of every instance with REDIS_URL (a list of 500 in Redis), else of this process (in memory)',
      querystring: z.object({
        limit: z.coerce.number().int().min(1).max(500).optional().describe('Default 50'),
        camera_id: z.coerce.number().int().positive().optional(),
      }),
      response: { 200: z.object({ recognized: z.array(recognizedJson), count: z.number().int() }), ...errorResponses(401, 403, 422) },
    },
    handler: async (request) => {
      const items = await cameras.recent({ limit: request.query.limit ?? 50, ...(request.query.camera_id !== undefined && { cameraId: request.query.camera_id }) });
      const recognized = items.map((r) => ({
        camera_id: r.cameraId,
        track_id: r.trackId,
        employee_id: r.employeeId,
        employee_name: r.employeeName,
        employee_code: r.employeeCode,
        confidence_score: r.confidence,
        recognition_method: r.method,
        timestamp: new Date(r.at).toISOString(),
        first_seen_at: new Date(r.firstSeenAt).toISOString(),
        frame_number: r.frameNumber,
        bbox: [...r.box],
        attendance: r.attendance,
        instance_id: r.instanceId,
      }));
      return { recognized, count: recognized.length };
    },
  });
};
