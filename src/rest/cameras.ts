// Camera management over REST (/api/v1/cameras): the same service as the
// GraphQL camera mutations, snake_case bodies.
import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { AppContext } from '../context.js';
import { requireCaller } from '../http/route-auth.js';
import { cameraInfoJson, cameraJson, toCameraInfoJson, toCameraJson } from './camera-json.js';
import { errorResponses, idParams } from './common.js';

const createBody = z.object({
  name: z.string(),
  source: z.string().describe('Device index ("0"), rtsp:// or http(s):// URL, or a video file path'),
  loop: z.boolean().optional(),
  width: z.number().int().nullable().optional().describe('null: CAMERA_WIDTH'),
  height: z.number().int().nullable().optional().describe('null: CAMERA_HEIGHT'),
  fps: z.number().int().nullable().optional().describe('null: CAMERA_FPS'),
  predict_interval: z.number().int().optional().describe('Process every Nth frame'),
  realtime: z.boolean().optional().describe('Files: play at their frame rate (default) or as fast as the pipeline goes'),
  enabled: z.boolean().optional().describe('Default true: starts at once and with the server'),
});
const updateBody = createBody.partial().describe('Omitted fields stay; a running camera restarts with the new settings');

type Body = z.output<typeof updateBody>;
const toInput = (b: Body) => ({
  name: b.name,
  source: b.source,
  loop: b.loop,
  width: b.width,
  height: b.height,
  fps: b.fps,
  predictInterval: b.predict_interval,
  realtime: b.realtime,
  enabled: b.enabled,
});

export const cameraRoutes: FastifyPluginAsyncZod<{ deps: AppContext }> = async (app, { deps }) => {
  const cameras = deps.services.cameras;
  const tags = ['cameras'];

  app.get('/cameras', {
    config: { auth: 'cameras:read' },
    schema: { tags, summary: 'List cameras with their live state', response: { 200: z.array(cameraJson), ...errorResponses(401, 403) } },
    handler: async () => (await cameras.list()).map((c) => toCameraJson(c, cameras.infoOf(c))),
  });

  app.get('/cameras/:id', {
    config: { auth: 'cameras:read' },
    schema: { tags, summary: 'Get one camera', params: idParams, response: { 200: cameraJson, ...errorResponses(401, 403, 404, 422) } },
    handler: async (request) => {
      const c = await cameras.get(request.params.id);
      return toCameraJson(c, cameras.infoOf(c));
    },
  });

  app.post('/cameras', {
    config: { auth: 'cameras:manage' },
    schema: { tags, summary: 'Add a camera (starts at once when enabled)', body: createBody, response: { 201: cameraJson, ...errorResponses(401, 403, 409, 422) } },
    handler: async (request, reply) => {
      const b = request.body;
      const c = await cameras.create(requireCaller(request), { ...toInput(b), name: b.name, source: b.source });
      return reply.status(201).send(toCameraJson(c, cameras.infoOf(c)));
    },
  });

  app.put('/cameras/:id', {
    config: { auth: 'cameras:manage' },
    schema: { tags, summary: 'Change a camera (partial)', params: idParams, body: updateBody, response: { 200: cameraJson, ...errorResponses(401, 403, 404, 409, 422) } },
    handler: async (request) => {
      const c = await cameras.update(requireCaller(request), request.params.id, toInput(request.body));
      return toCameraJson(c, cameras.infoOf(c));
    },
  });

  app.delete('/cameras/:id', {
    config: { auth: 'cameras:manage' },
    schema: { tags, summary: 'Stop and delete a camera (its attendance logs stay, without camera)', params: idParams, response: { 204: z.null(), ...errorResponses(401, 403, 404, 422) } },
    handler: async (request, reply) => {
      await cameras.delete(requireCaller(request), request.params.id);
      return reply.status(204).send(null);
    },
  });

  app.post('/cameras/:id/start', {
    config: { auth: 'cameras:manage' },
    schema: { tags, summary: 'Start (or restart) the camera in this server process', params: idParams, response: { 200: cameraInfoJson, ...errorResponses(401, 403, 404, 422, 503) } },
    handler: async (request) => toCameraInfoJson(await cameras.start(request.params.id)),
  });

  app.post('/cameras/:id/stop', {
    config: { auth: 'cameras:manage' },
    schema: { tags, summary: 'Stop the camera in this server process', params: idParams, response: { 200: cameraInfoJson, ...errorResponses(401, 403, 404, 422) } },
    handler: async (request) => toCameraInfoJson(await cameras.stop(request.params.id)),
  });
};
