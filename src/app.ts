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
import { createSessionAuth } from './auth/session-auth.js';
import { fastifyCookie } from '@fastify/cookie';
import { createEventBus } from './events/event-bus.js';
import { templateCipherFromConfig } from './crypto/template-cipher.js';
import { createRevocationHub, type RevocationHub } from './auth/revocation.js';
import { installRateLimit } from './http/rate-limit.js';
import { createBufferedSubscriptions } from './events/buffered-subscriptions.js';
import { createLiveEvents, type LiveEvents } from './live/live-events.js';
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
import { sessionRoutes } from './rest/session.js';
import { registerWebApp } from './http/web-app.js';
import { CAMERA_PREVIEW_PATH, serveCameraPreviews } from './http/camera-preview-ws.js';
import { startFaceEngine } from './engine/start-face-engine.js';
import { createCluster } from './cluster/cluster.js';
import { newInstanceId } from './cluster/instance-id.js';
import { AppMetrics } from './metrics/app-metrics.js';
import { instrumentFaceEngine } from './metrics/instrument-engine.js';
import { graphqlMetricsPlugin } from './metrics/graphql-metrics.js';
import { installMetrics } from './http/metrics-route.js';
import { retryUntilDone } from './db/retry-until-done.js';
import type { BackgroundRetry } from './db/retry-until-done.js';

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
  /** Camera frames and decisions as live subscribers read them. */
  readonly live: LiveEvents;
  readonly http: FastifyInstance;
  readonly websockets: WebSocketRouter;
  /** Closes revoked keys' connections (tests look at what it tracks). */
  readonly revocations: RevocationHub;
  /** Every HTTP route registered, as `METHOD /path` (HEAD left out); the OpenAPI test compares it with /openapi.json. */
  routes(): string[];
  /**
   * Starts the services in order, then listens on HOST:PORT (PORT=0 picks a free port). With the
   * database away it listens at once and the services that need it start when it answers.
   */
  start(): Promise<{ url: string; port: number }>;
  /** Ends live subscriptions, closes WebSockets and HTTP, stops the services in reverse order, then the event bus and what buildApp created itself (Prisma, engine). Idempotent. */
  stop(): Promise<void>;
}

/** In-flight requests get this long to finish on stop before connections are cut. */
const SHUTDOWN_GRACE_MS = 5_000;
/** Services waiting for the database at start try again this often. */
const DATABASE_RETRY_MS = 5_000;

const { version } = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string };

export async function buildApp(config: Config, overrides: AppOverrides = {}): Promise<App> {
  const instanceId = newInstanceId();
  // Every line says which instance wrote it.
  const log = (overrides.logger ?? createLogger(config)).child({ instanceId });
  const prisma =
    overrides.prisma ??
    createPrisma(config.DATABASE_URL, { connectTimeoutMs: config.DB_CONNECT_TIMEOUT_MS, queryTimeoutMs: config.DB_QUERY_TIMEOUT_MS });
  const clock = overrides.clock ?? (() => new Date());
  const bus = createEventBus({ redisUrl: config.REDIS_URL, prefix: config.REDIS_PREFIX, log: log.child({ component: 'event-bus' }) });
  const cluster =
    config.REDIS_URL === undefined
      ? null
      : createCluster({ redisUrl: config.REDIS_URL, prefix: config.REDIS_PREFIX, instanceId, log: log.child({ component: 'cluster' }) });
  const authenticator = createAuthenticator({
    prisma,
    secretKey: config.SECRET_KEY,
    clock,
    log: log.child({ component: 'auth' }),
    pubsub: bus.pubsub,
  });
  // The web app's session cookies (sign-in exchanges a key for one).
  const sessions = createSessionAuth({ prisma, secretKey: config.SECRET_KEY, clock });
  const ownEngine = overrides.faceEngine === undefined ? await startFaceEngine(config, log.child({ component: 'face-engine' }), cluster) : null;
  const metrics = new AppMetrics(instanceId);
  const engine = overrides.faceEngine === undefined ? ownEngine : overrides.faceEngine;
  const deps: AppDeps = {
    config,
    prisma,
    log,
    clock,
    events: bus.pubsub,
    pubsub: bus.pubsub,
    eventBusKind: bus.kind,
    authenticator,
    // Every caller's tasks are timed and their failures counted, whichever engine serves them.
    faceEngine: engine === null ? null : instrumentFaceEngine(engine, metrics),
    startedAt: clock(),
    templateCipher: templateCipherFromConfig(config),
    instanceId,
    cluster,
    metrics,
  };
  const composed = createServices({ ...deps, ...(overrides.jobIntervals && { jobIntervals: overrides.jobIntervals }) });
  const { services } = composed;
  // Live topics reach each subscriber through its own drop-oldest buffer.
  const subscriptions = createBufferedSubscriptions(bus.pubsub);
  const live = createLiveEvents(subscriptions);
  const appContext: AppContext = { services, pubsub: bus.pubsub, live, config, newLoaders: () => createLoaders(prisma) };
  // Revoking a key (on any instance) forgets it here and closes its graphql-ws, SSE and old-stream connections.
  // (The authenticator itself forgets the key on every instance through the same event.)
  const revocations = createRevocationHub({ pubsub: bus.pubsub, log: log.child({ component: 'revocation' }) });

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
  // Cookie parsing and Set-Cookie for the web app's session (also loads the parser session-auth.ts uses).
  await http.register(fastifyCookie);
  installRouteAuth(http, authenticator, sessions);
  // GET /metrics and the latency histogram of every route.
  installMetrics(http, metrics, config);
  // Per-key (or per-IP without a key) request budgets: 429 + Retry-After. Before the routes, after auth.
  await installRateLimit(http, config);
  http.addHook('onRequest', async (request, reply) => {
    void reply.header('x-request-id', request.id);
  });

  await registerOpenApi(http, { version });
  for (const plugin of restPlugins) {
    await http.register(plugin, { prefix: API_PREFIX, deps: appContext });
  }
  await http.register(sessionRoutes, { prefix: API_PREFIX, authenticator, sessions });
  const yoga = createGraphQl(deps, appContext, [graphqlMetricsPlugin(metrics)]);
  mountGraphQl(http, yoga, { graphiql: config.GRAPHIQL, revocations });
  await registerDocsRoutes(http);
  await registerWebApp(http);

  const websockets = createWebSocketRouter({ maxPayload: config.BODY_LIMIT_BYTES, log: log.child({ component: 'websocket' }) });
  const disposers: { dispose(): Promise<void> }[] = [
    serveGraphQlOverWebSocket({ wss: websockets.register(GRAPHQL_PATH), yoga, authenticator, sessions, revocations, log }),
    serveCameraPreviews(websockets.register(CAMERA_PREVIEW_PATH), { cameras: services.cameras, authenticator, sessions, log }),
  ];
  for (const endpoint of websocketEndpoints) {
    const handle = endpoint.setup(websockets.register(endpoint.path), { services, live, authenticator, revocations, log });
    if (handle !== undefined) {
      disposers.push(handle);
    }
  }
  websockets.attach(http.server);

  let stopping: Promise<void> | undefined;
  let pendingStart: BackgroundRetry | undefined;

  return {
    deps,
    services,
    composed,
    live,
    http,
    websockets,
    revocations,
    routes: () => [...routes],
    async start() {
      const servicesStarted = (): void => log.info({ services: composed.lifetimes, jobs: composed.jobs.jobs }, 'services started');
      // The database may come up after the server (a reboot, a container order): then the
      // server listens at once (health/live 200, health/ready 503 naming the database) and
      // starts the services that need it when the database answers.
      const databaseUp = await services.system.databaseUp();
      if (databaseUp) {
        await composed.start();
        servicesStarted();
      } else {
        try {
          await composed.startWithoutDatabase();
        } catch (error) {
          await composed.stop();
          throw error;
        }
      }
      await http.listen({ host: config.HOST, port: config.PORT });
      const { port } = http.server.address() as AddressInfo;
      const host = config.HOST === '0.0.0.0' || config.HOST === '::' ? '127.0.0.1' : config.HOST;
      const url = `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
      log.info({ url, graphql: `${url}${GRAPHQL_PATH}`, docs: `${url}/docs` }, 'server listening');
      if (!databaseUp) {
        log.error(`database unreachable at start: serving anyway (health/ready answers 503); services start when it answers (checked every ${DATABASE_RETRY_MS / 1000} s)`);
        pendingStart = retryUntilDone(
          async () => {
            if (!(await services.system.databaseUp())) {
              throw new Error('database still unreachable');
            }
            await composed.resume();
            servicesStarted();
            // A request made with ADMIN_API_KEY before it was registered left "unknown key" in the cache.
            authenticator.evict();
          },
          { intervalMs: DATABASE_RETRY_MS, log, what: 'service start waiting for the database' },
        );
      }
      return { url, port };
    },
    stop() {
      stopping ??= (async () => {
        await pendingStart?.stop();
        // Every live subscription (SSE included) ends first, so HTTP can close.
        revocations.stop();
        subscriptions.closeAll();
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
        await cluster?.close();
        authenticator.close();
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
