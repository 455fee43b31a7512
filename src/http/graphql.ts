// graphql-yoga on fastify at /graphql: queries and mutations over HTTP,
// subscriptions over SSE (yoga's own) and graphql-ws (src/http/graphql-ws.ts).
// GraphiQL (served from npm, src/http/graphiql.ts) when config.GRAPHIQL is on.
// Domain errors keep their `extensions.code`; everything else is masked.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { GraphQLError } from 'graphql';
import { createYoga, maskError as yogaMaskError } from 'graphql-yoga';
import type { Plugin, YogaServerInstance } from 'graphql-yoga';
import type { Logger } from 'pino';
import type { AppDeps } from '../app-deps.js';
import type { AppContext, RequestContext } from '../context.js';
import { createRequestContext } from '../context.js';
import type { Caller } from '../auth/caller.js';
import type { RevocationHub } from '../auth/revocation.js';
import { DomainError } from '../domain/errors.js';
import { asDatabaseUnavailable } from '../db/database-unavailable.js';
import { schema } from '../schema/index.js';
import { graphqlArmorPlugins } from './graphql-armor.js';
import { mountGraphiQlAssets, renderGraphiQlPage } from './graphiql.js';

export const GRAPHQL_PATH = '/graphql';

/** What each transport hands yoga before the per-request context is built. */
export interface GraphQlServerContext {
  caller: Caller | null;
  log: Logger;
  requestId: string;
}

export type Yoga = YogaServerInstance<GraphQlServerContext, RequestContext>;

export function createGraphQl(deps: Pick<AppDeps, 'config' | 'log'>, app: AppContext, plugins: Plugin[] = []): Yoga {
  const log = deps.log.child({ component: 'graphql' });
  return createYoga<GraphQlServerContext, RequestContext>({
    schema,
    graphqlEndpoint: GRAPHQL_PATH,
    graphiql: deps.config.GRAPHIQL ? { title: 'Face attendance', subscriptionsProtocol: 'WS' } : false,
    renderGraphiQL: renderGraphiQlPage,
    landingPage: false,
    cors: deps.config.CORS_ORIGIN === undefined ? false : { origin: deps.config.CORS_ORIGIN.split(',').map((o) => o.trim()) },
    logging: {
      debug: (...args: unknown[]) => log.debug({ args: args.map(String) }, 'yoga'),
      info: (...args: unknown[]) => log.info({ args: args.map(String) }, 'yoga'),
      warn: (...args: unknown[]) => log.warn({ args: args.map(String) }, 'yoga'),
      error: (...args: unknown[]) => {
        const err = args.find((a) => a instanceof Error);
        // Expected refusals (UNAUTHENTICATED, FORBIDDEN, validation...) are info without a stack;
        // only the unexpected is an error with one.
        const expected = expectedDomainError(err);
        if (expected !== null) {
          log.info({ code: expected.code }, expected.message);
          return;
        }
        log.error({ err, args: args.filter((a) => !(a instanceof Error)).map(String) }, 'graphql error');
      },
    },
    // Stack traces and original messages only in development, whatever process.env says.
    maskedErrors: { maskError: exposeDomainErrors, isDev: deps.config.NODE_ENV === 'development' },
    // The abuse limits, then what the app adds (metrics).
    plugins: [...graphqlArmorPlugins(deps.config), ...plugins],
    // A JSON array body runs several operations; more than the limit is refused whole.
    batching: deps.config.GRAPHQL_BATCH_LIMIT > 0 ? { limit: deps.config.GRAPHQL_BATCH_LIMIT } : false,
    context: ({ caller, log: requestLog, requestId }) =>
      createRequestContext(app, { caller, log: requestLog, requestId }),
  });
}

function expectedDomainError(error: unknown): DomainError | null {
  const original = (error as { originalError?: unknown } | undefined)?.originalError ?? error;
  return original instanceof DomainError ? original : null;
}

/** Domain errors reach the client with their stable code; anything else is yoga's "Unexpected error.". */
export function exposeDomainErrors(error: unknown, message: string, isDev?: boolean): Error {
  // Duck-typed on purpose: a second copy of `graphql` (ESM and CJS builds) breaks instanceof.
  const located = error as Partial<GraphQLError> | undefined;
  const raw = located?.originalError ?? error;
  // A database that is not serving: SERVICE_UNAVAILABLE, so clients know to retry.
  const original = asDatabaseUnavailable(raw) ?? raw;
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

export function mountGraphQl(app: FastifyInstance, yoga: Yoga, options: { graphiql: boolean; revocations: RevocationHub }): void {
  const { revocations } = options;
  if (options.graphiql) {
    mountGraphiQlAssets(app);
  }
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
      // An SSE subscription of a key that gets revoked is cut at once (on any instance).
      if (request.caller !== null && (response.headers.get('content-type') ?? '').includes('text/event-stream')) {
        const untrack = revocations.track(request.caller.apiKeyId, () => reply.raw.destroy());
        reply.raw.once('close', untrack);
      }
      void reply.status(response.status);
      return reply.send(response.body);
    },
  });
}
