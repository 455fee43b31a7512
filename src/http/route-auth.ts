// Route-level auth for fastify. Every route under /api/v1 must declare
// `config: { auth: <permission> | 'public' | 'authenticated' }`; a route that
// forgets is refused at start-up, so nothing is open by accident. The same
// permission matrix backs GraphQL's authScopes.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Authenticator } from '../auth/authenticator.js';
import type { Caller } from '../auth/caller.js';
import type { SessionAuth } from '../auth/session-auth.js';
import { extractApiKey } from '../auth/api-key-crypto.js';
import { can } from '../auth/permissions.js';
import type { Permission } from '../auth/permissions.js';
import { ForbiddenError, UnauthenticatedError } from '../domain/errors.js';

/**
 * - a Permission: a valid key whose role has it (401 without a key, 403 without the permission)
 * - 'authenticated': any valid key
 * - 'optional': a key is read when sent (a bad one is 401), none is fine (GraphQL checks per field)
 * - 'public': no key needed, none read
 */
export type RouteAuth = Permission | 'authenticated' | 'optional' | 'public';

declare module 'fastify' {
  interface FastifyContextConfig {
    auth?: RouteAuth;
  }
  interface FastifyRequest {
    /** The authenticated caller, or null (public routes, or no key on an 'optional' route). */
    caller: Caller | null;
  }
}

export const API_PREFIX = '/api/v1';

/** OpenAPI security requirement: either header works, or the web app's session cookie. */
export const openApiSecurity: { [scheme: string]: string[] }[] = [{ bearerAuth: [] }, { apiKeyHeader: [] }, { sessionCookie: [] }];

export function installRouteAuth(app: FastifyInstance, authenticator: Authenticator, sessions?: SessionAuth): void {
  app.decorateRequest('caller', null);

  app.addHook('onRoute', (route) => {
    const auth = route.config?.auth;
    if (route.url.startsWith(API_PREFIX) && auth === undefined) {
      throw new Error(`route ${String(route.method)} ${route.url} must declare config.auth`);
    }
    // Document the requirement in OpenAPI from the same declaration.
    if (auth !== undefined && auth !== 'public' && auth !== 'optional' && route.schema !== undefined) {
      route.schema = { ...route.schema, security: openApiSecurity };
    }
  });

  app.addHook('onRequest', async (request: FastifyRequest, _reply: FastifyReply) => {
    const auth = request.routeOptions.config.auth;
    if (auth === undefined || auth === 'public') {
      return;
    }
    const caller = await callerOf(request, authenticator, sessions);
    if (caller === undefined) {
      if (auth === 'optional') {
        return;
      }
      throw new UnauthenticatedError('Missing API key: send Authorization: Bearer <key> or X-API-Key: <key>');
    }
    if (caller === null) {
      throw new UnauthenticatedError('Invalid or revoked API key');
    }
    request.caller = caller;
    request.log = request.log.child({ apiKeyId: caller.apiKeyId, role: caller.role });
    if (auth !== 'authenticated' && auth !== 'optional' && !can(caller.role, auth)) {
      throw new ForbiddenError(`Role ${caller.role} may not ${auth}`);
    }
  });
}

/** A key header wins; else the web app's session cookie. undefined: neither sent; null: invalid or revoked. */
async function callerOf(request: FastifyRequest, authenticator: Authenticator, sessions: SessionAuth | undefined): Promise<Caller | null | undefined> {
  const rawKey = extractApiKey(request.headers);
  if (rawKey !== null) {
    return authenticator.authenticate(rawKey);
  }
  return sessions?.fromCookieHeader(request.headers.cookie);
}

/** For handlers on authenticated routes: the caller the onRequest hook resolved. */
export function requireCaller(request: FastifyRequest): Caller {
  if (request.caller === null) {
    throw new UnauthenticatedError();
  }
  return request.caller;
}
