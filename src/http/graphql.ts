// graphql-yoga on fastify at /graphql: queries and mutations over HTTP,
// subscriptions over SSE (yoga's own) and graphql-ws (src/http/graphql-ws.ts).
// GraphiQL only in development. Domain errors keep their `extensions.code`;
// everything else is masked.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { GraphQLError } from 'graphql';
import { createYoga, maskError as yogaMaskError } from 'graphql-yoga';
import type { YogaServerInstance } from 'graphql-yoga';
import type { Logger } from 'pino';
import type { AppDeps } from '../app-deps.js';
import type { AppContext, RequestContext } from '../context.js';
import { createRequestContext } from '../context.js';
import type { Caller } from '../auth/caller.js';
import { DomainError } from '../domain/errors.js';
import { schema } from '../schema/index.js';

export const GRAPHQL_PATH = '/graphql';

/** What each transport hands yoga before the per-request context is built. */
export interface GraphQlServerContext {
  caller: Caller | null;
  log: Logger;
  requestId: string;
}

export type Yoga = YogaServerInstance<GraphQlServerContext, RequestContext>;

export function createGraphQl(deps: Pick<AppDeps, 'config' | 'log'>, app: AppContext): Yoga {
  const log = deps.log.child({ component: 'graphql' });
  return createYoga<GraphQlServerContext, RequestContext>({
    schema,
    graphqlEndpoint: GRAPHQL_PATH,
    graphiql: deps.config.NODE_ENV === 'development' ? { title: 'Face attendance', subscriptionsProtocol: 'WS' } : false,
    landingPage: false,
    cors: deps.config.CORS_ORIGIN === undefined ? false : { origin: deps.config.CORS_ORIGIN.split(',').map((o) => o.trim()) },
    logging: {
      debug: (...args: unknown[]) => log.debug({ args: args.map(String) }, 'yoga'),
      info: (...args: unknown[]) => log.info({ args: args.map(String) }, 'yoga'),
      warn: (...args: unknown[]) => log.warn({ args: args.map(String) }, 'yoga'),
      error: (...args: unknown[]) => {
        const err = args.find((a) => a instanceof Error);
        log.error({ err, args: args.filter((a) => !(a instanceof Error)).map(String) }, 'graphql error');
      },
    },
    maskedErrors: { maskError: exposeDomainErrors },
    context: ({ caller, log: requestLog, requestId }) =>
      createRequestContext(app, { caller, log: requestLog, requestId }),
  });
}

/** Domain errors reach the client with their stable code; anything else is yoga's "Unexpected error.". */
export function exposeDomainErrors(error: unknown, message: string, isDev?: boolean): Error {
  // Duck-typed on purpose: a second copy of `graphql` (ESM and CJS builds) breaks instanceof.
  const located = error as Partial<GraphQLError> | undefined;
  const original = located?.originalError ?? error;
  if (original instanceof DomainError && located?.name === 'GraphQLError') {
    return new GraphQLError(original.message, {
      nodes: located.nodes,
      source: located.source,
      positions: located.positions,
      path: located.path,
      extensions: {
        ...located.extensions,
        code: original.code,
        ...(original.retryAfterSeconds === undefined ? {} : { retryAfterSeconds: original.retryAfterSeconds }),
      },
    });
  }
  return yogaMaskError(error, message, isDev);
}

export function mountGraphQl(app: FastifyInstance, yoga: Yoga): void {
  app.route({
    url: GRAPHQL_PATH,
    method: ['GET', 'POST', 'OPTIONS'],
    // A key is read if sent (a bad one is refused); fields check their own scopes.
    config: { auth: 'optional' },
    schema: { hide: true },
    handler: async (request: FastifyRequest, reply: FastifyReply) => {
      const response = await yoga.handleNodeRequestAndResponse(request, reply, {
        caller: request.caller,
        log: request.log as Logger,
        requestId: request.id,
      });
      response.headers.forEach((value, key) => {
        void reply.header(key, value);
      });
      void reply.status(response.status);
      return reply.send(response.body);
    },
  });
}
