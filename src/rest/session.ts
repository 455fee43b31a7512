// /api/v1/auth/session: the web app's sign-in and sign-out. POST exchanges an
// API key for an HttpOnly, SameSite=Strict session cookie (Secure over https);
// DELETE clears it. Every other route then accepts the cookie as that key's
// caller (src/http/route-auth.ts), as do GraphQL over HTTP, SSE and graphql-ws.
import { z } from 'zod';
import type { CookieSerializeOptions } from '@fastify/cookie';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { FastifyRequest } from 'fastify';
import type { Authenticator } from '../auth/authenticator.js';
import { permissionsOf, roles } from '../auth/permissions.js';
import { SESSION_COOKIE, type SessionAuth } from '../auth/session-auth.js';
import { UnauthenticatedError } from '../domain/errors.js';
import { errorResponses } from './common.js';

const signInBody = z.object({ api_key: z.string().trim().min(1, 'must not be empty').max(512) });

const sessionJson = z.object({
  api_key_id: z.number().int(),
  name: z.string(),
  role: z.enum(roles),
  camera_id: z.number().int().nullable(),
  permissions: z.array(z.string()),
  expires_at: z.string().describe('When the session cookie stops working'),
});

/** The cookie's attributes; Secure only when the browser reached us over https (else it would never be sent back). */
function cookieOptions(request: FastifyRequest): CookieSerializeOptions {
  return { httpOnly: true, sameSite: 'strict', secure: request.protocol === 'https', path: '/' };
}

export const sessionRoutes: FastifyPluginAsyncZod<{ authenticator: Authenticator; sessions: SessionAuth }> = async (app, { authenticator, sessions }) => {
  app.post('/auth/session', {
    // Open: the key comes in the body, checked here.
    config: { auth: 'public' },
    schema: {
      tags: ['auth'],
      summary: 'Sign in (web app): exchange an API key for an HttpOnly session cookie',
      description: `Sets \`${SESSION_COOKIE}\` (HttpOnly, SameSite=Strict, Secure over https). The cookie holds a signed session, not the key; it stops working when the key is revoked.`,
      body: signInBody,
      response: { 200: sessionJson, ...errorResponses(401, 422) },
    },
    handler: async (request, reply) => {
      const caller = await authenticator.authenticate(request.body.api_key);
      if (caller === null) {
        throw new UnauthenticatedError('Invalid or revoked API key');
      }
      const session = await sessions.issue(caller);
      request.log.info({ apiKeyId: caller.apiKeyId, role: caller.role }, 'web session started');
      void reply.setCookie(SESSION_COOKIE, session.token, { ...cookieOptions(request), maxAge: session.maxAgeSeconds }).header('cache-control', 'no-store');
      return {
        api_key_id: caller.apiKeyId,
        name: caller.name,
        role: caller.role,
        camera_id: caller.cameraId,
        permissions: permissionsOf(caller.role),
        expires_at: session.expiresAt.toISOString(),
      };
    },
  });

  app.delete('/auth/session', {
    // Open: signing out must work with an expired or revoked session too.
    config: { auth: 'public' },
    schema: {
      tags: ['auth'],
      summary: 'Sign out (web app): clear the session cookie',
      response: { 204: z.null().describe('Cookie cleared') },
    },
    handler: async (request, reply) => reply.clearCookie(SESSION_COOKIE, cookieOptions(request)).status(204).send(null),
  });
};
