// Builds the whole server: the infrastructure (database, event bus, face
// engine), the services (src/services/create-services.ts), then the transports
// on top of them: fastify (REST + docs), graphql-yoga at /graphql (HTTP, SSE,
// graphql-ws) and the old WebSocket stream. Tests inject a Prisma client, a
// clock or a face engine; main.ts injects nothing.
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import Fastify from 'fastify';
import type { FastifyInstance } from 'fastify';
import { serializerCompiler, validatorCompiler } from 'fastify-type-provider-zod';
import type { Logger } from 'pino';
import type { Config } from './config.js';
import type { AppDeps } from './app-deps.js';
import type { AppContext } from './context.js';
import type { FaceEngine } from './engine/face-engine.js';
import type { PrismaClient } from './generated/prisma/client.js';
import { createPrisma } from './db/prisma.js';
import { createLogger } from './logger.js';
import { createAuthenticator } from './auth/authenticator.js';
import { createEventBus } from './events/event-bus.js';
import { CameraEventHub } from './cameras/event-hub.js';
import { createLoaders } from './loaders.js';
import { createServices, type ComposedServices, type JobIntervals, type Services } from './services/create-services.js';
import { installErrorHandler } from './http/error-handler.js';
import { API_PREFIX, installRouteAuth } from './http/route-auth.js';
import { createGraphQl, GRAPHQL_PATH, mountGraphQl } from './http/graphql.js';
import { serveGraphQlOverWebSocket } from './http/graphql-ws.js';
import { createWebSocketRouter } from './http/websocket-router.js';
import type { WebSocketRouter } from './http/websocket-router.js';
import { websocketEndpoints } from './http/websocket-endpoints.js';
import { registerDocsRoutes, registerOpenApi } from './rest/docs.js';
import { restPlugins } from './rest/routes.js';
import { startFaceEngine } from './engine/start-face-engine.js';

export interface AppOverrides {
  /** A given engine (closed by its owner); null = run without one (face features answer 503). */
  faceEngine?: FaceEngine | null;
  prisma?: PrismaClient;
  clock?: () => Date;
  logger?: Logger;
  /** Shorter schedules for the background jobs (tests). */
  jobIntervals?: Partial<JobIntervals>;
}

export interface App {
  readonly deps: AppDeps;
  readonly services: Services;
  /** The services' lifetimes and scheduled jobs (tests look at them). */
  readonly composed: ComposedServices;
  readonly http: FastifyInstance;
  readonly websockets: WebSocketRouter;
  /** Every HTTP route registered, as `METHOD /path` (HEAD left out); the OpenAPI test compares it with /openapi.json. */
  routes(): string[];
  /** Starts the services in order (ADMIN_API_KEY registered first), then listens on HOST:PORT (PORT=0 picks a free port). */
  start(): Promise<{ url: string; port: number }>;
  /** Ends live subscriptions, closes WebSockets and HTTP, stops the services in reverse order, then the event bus and what buildApp created itself (Prisma, engine). Idempotent. */
  stop(): Promise<void>;
}

/** In-flight requests get this long to finish on stop before connections are cut. */
const SHUTDOWN_GRACE_MS = 5_000;

const { version } = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string };

export async function buildApp(config: Config, overrides: AppOverrides = {}): Promise<App> {
  const log = overrides.logger ?? createLogger(config);
  const prisma = overrides.prisma ?? createPrisma(config.DATABASE_URL);
  const clock = overrides.clock ?? (() => new Date());
  const bus = createEventBus({ redisUrl: config.REDIS_URL, log: log.child({ component: 'event-bus' }) });
  const authenticator = createAuthenticator({ prisma, secretKey: config.SECRET_KEY, clock, log: log.child({ component: 'auth' }) });
  const ownEngine = overrides.faceEngine === undefined ? await startFaceEngine(config, log.child({ component: 'face-engine' })) : null;
  const deps: AppDeps = {
    config,
    prisma,
    log,
    clock,
    events: bus.pubsub,
    pubsub: bus.pubsub,
    eventBusKind: bus.kind,
    authenticator,
    faceEngine: overrides.faceEngine === undefined ? ownEngine : overrides.faceEngine,
    startedAt: clock(),
  };
  const liveEvents = new CameraEventHub();
  const composed = createServices({ ...deps, liveEvents, ...(overrides.jobIntervals && { jobIntervals: overrides.jobIntervals }) });
  const { services } = composed;
  const appContext: AppContext = { services, pubsub: bus.pubsub, config, newLoaders: () => createLoaders(prisma) };

  const http = Fastify({
    loggerInstance: log,
    bodyLimit: config.BODY_LIMIT_BYTES,
    // Honour a caller's x-request-id when it is sane, so logs line up across services.
    genReqId: (request) => {
      const given = request.headers['x-request-id'];
      return typeof given === 'string' && /^[\w.:-]{1,128}$/.test(given) ? given : randomUUID();
    },
  }) as unknown as FastifyInstance;
  http.setValidatorCompiler(validatorCompiler);
  http.setSerializerCompiler(serializerCompiler);
  installErrorHandler(http);
  const routes: string[] = [];
  http.addHook('onRoute', (route) => {
    for (const method of [route.method].flat()) {
      if (method !== 'HEAD') {
        routes.push(`${method} ${route.url}`);
      }
    }
  });
  installRouteAuth(http, authenticator);
  http.addHook('onRequest', async (request, reply) => {
    void reply.header('x-request-id', request.id);
  });

  await registerOpenApi(http, { version });
  for (const plugin of restPlugins) {
    await http.register(plugin, { prefix: API_PREFIX, deps: appContext });
  }
  const yoga = createGraphQl(deps, appContext);
  mountGraphQl(http, yoga);
  await registerDocsRoutes(http);

  const websockets = createWebSocketRouter({ maxPayload: config.BODY_LIMIT_BYTES, log: log.child({ component: 'websocket' }) });
  const disposers: { dispose(): Promise<void> }[] = [
    serveGraphQlOverWebSocket({ wss: websockets.register(GRAPHQL_PATH), yoga, authenticator, log }),
  ];
  for (const endpoint of websocketEndpoints) {
    const handle = endpoint.setup(websockets.register(endpoint.path), { services, authenticator, log });
    if (handle !== undefined) {
      disposers.push(handle);
    }
  }
  websockets.attach(http.server);

  let stopping: Promise<void> | undefined;

  return {
    deps,
    services,
    composed,
    http,
    websockets,
    routes: () => [...routes],
    async start() {
      await composed.start();
      log.info({ services: composed.lifetimes, jobs: composed.jobs.jobs }, 'services started');
      await http.listen({ host: config.HOST, port: config.PORT });
      const { port } = http.server.address() as AddressInfo;
      const host = config.HOST === '0.0.0.0' || config.HOST === '::' ? '127.0.0.1' : config.HOST;
      const url = `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
      log.info({ url, graphql: `${url}${GRAPHQL_PATH}`, docs: `${url}/docs` }, 'server listening');
      return { url, port };
    },
    stop() {
      stopping ??= (async () => {
        // Every live subscription (SSE included) ends first, so HTTP can close.
        liveEvents.closeAll();
        await websockets.close();
        await Promise.allSettled(disposers.map((d) => d.dispose()));
        const cutOff = setTimeout(() => http.server.closeAllConnections(), SHUTDOWN_GRACE_MS);
        try {
          await http.close();
        } finally {
          clearTimeout(cutOff);
        }
        // Cameras, jobs, sessions, training, models, the outbox: reverse start order.
        await composed.stop();
        await ownEngine?.close();
        await bus.close();
        if (overrides.prisma === undefined) {
          await prisma.$disconnect();
        }
        log.info('server stopped');
      })();
      return stopping;
    },
  };
}
