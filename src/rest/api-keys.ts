// /api/v1/auth/*: API key management (admin) and `me` (any valid key).
import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { AppContext } from '../context.js';
import { permissionsOf, roles } from '../auth/permissions.js';
import { requireCaller } from '../http/route-auth.js';
import type { ApiKeyView } from '../services/api-key-service.js';
import { errorResponses, idParams, isoDate, isoDateOrNull } from './common.js';

const apiKeyJson = z.object({
  id: z.number().int(),
  name: z.string(),
  prefix: z.string().describe('First characters of the key'),
  role: z.enum(roles),
  camera_id: z.number().int().nullable(),
  created_at: z.string(),
  last_used_at: z.string().nullable(),
  revoked_at: z.string().nullable(),
});

const createdJson = apiKeyJson.extend({ key: z.string().describe('The key itself; shown only in this response') });

const createBody = z.object({
  name: z.string().trim().min(1).max(128),
  role: z.enum(roles),
  camera_id: z.number().int().positive().nullable().optional().describe('Kiosk keys: the camera it belongs to'),
});

const meJson = z.object({
  api_key_id: z.number().int(),
  name: z.string(),
  role: z.enum(roles),
  camera_id: z.number().int().nullable(),
  permissions: z.array(z.string()),
});

function toJson(k: ApiKeyView): z.output<typeof apiKeyJson> {
  return {
    id: k.id,
    name: k.name,
    prefix: k.prefix,
    role: k.role,
    camera_id: k.cameraId,
    created_at: isoDate(k.createdAt),
    last_used_at: isoDateOrNull(k.lastUsedAt),
    revoked_at: isoDateOrNull(k.revokedAt),
  };
}

export const apiKeyRoutes: FastifyPluginAsyncZod<{ deps: AppContext }> = async (app, { deps }) => {
  app.get('/auth/me', {
    config: { auth: 'authenticated' },
    schema: { tags: ['auth'], summary: 'The caller behind the key in use', response: { 200: meJson, ...errorResponses(401) } },
    handler: async (request) => {
      const c = requireCaller(request);
      return { api_key_id: c.apiKeyId, name: c.name, role: c.role, camera_id: c.cameraId, permissions: permissionsOf(c.role) };
    },
  });

  app.post('/auth/keys', {
    config: { auth: 'api-keys:manage' },
    schema: {
      tags: ['auth'],
      summary: 'Create an API key (the key is in the response only)',
      body: createBody,
      response: { 201: createdJson, ...errorResponses(401, 403, 404, 422) },
    },
    handler: async (request, reply) => {
      const b = request.body;
      const { apiKey, key } = await deps.services.apiKeys.create(requireCaller(request), {
        name: b.name,
        role: b.role,
        cameraId: b.camera_id ?? null,
      });
      return reply.status(201).send({ ...toJson(apiKey), key });
    },
  });

  app.get('/auth/keys', {
    config: { auth: 'api-keys:manage' },
    schema: {
      tags: ['auth'],
      summary: 'List API keys',
      querystring: z.object({ include_revoked: z.enum(['true', 'false']).optional() }),
      response: { 200: z.array(apiKeyJson), ...errorResponses(401, 403, 422) },
    },
    handler: async (request) =>
      (await deps.services.apiKeys.list({ includeRevoked: request.query.include_revoked === 'true' })).map(toJson),
  });

  app.delete('/auth/keys/:id', {
    config: { auth: 'api-keys:manage' },
    schema: {
      tags: ['auth'],
      summary: 'Revoke an API key (takes effect at once)',
      params: idParams,
      response: { 200: apiKeyJson, ...errorResponses(401, 403, 404, 422) },
    },
    handler: async (request) => toJson(await deps.services.apiKeys.revoke(requireCaller(request), request.params.id)),
  });
};
