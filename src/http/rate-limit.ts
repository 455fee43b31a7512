// Per-key request limits for REST and GraphQL over HTTP (@fastify/rate-limit):
// a valid API key has its own budget (RATE_LIMIT_MAX per window), callers
// without a key share one per IP (RATE_LIMIT_ANONYMOUS_MAX). Over budget: 429
// with Retry-After, as `{ detail }` (REST) or a GraphQL error with code
// RATE_LIMITED. Counts live in Redis when REDIS_URL is set, so every instance
// draws on the same budget. Registered before the routes, so every route gets
// the hook; it runs after route auth (a route-level hook), when the caller is known.
import rateLimit from '@fastify/rate-limit';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { Redis } from 'ioredis';
import type { Config } from '../config.js';
import { DomainError, type DomainErrorCode } from '../domain/errors.js';

export class RateLimitedError extends DomainError {
  readonly code: DomainErrorCode = 'RATE_LIMITED';
  readonly status = 429;
  constructor(override readonly retryAfterSeconds: number) {
    super(`Too many requests: retry in ${retryAfterSeconds} s`);
    this.name = 'RateLimitedError';
  }
}

type RateLimitConfig = Pick<
  Config,
  'RATE_LIMIT_ENABLED' | 'RATE_LIMIT_MAX' | 'RATE_LIMIT_ANONYMOUS_MAX' | 'RATE_LIMIT_WINDOW_SECONDS' | 'REDIS_URL'
>;

/** Liveness probes are never limited (load balancers poll them from one address). */
const isHealthRoute = (request: FastifyRequest): boolean => /\/(health|healthz|livez|readyz)$/.test(request.routeOptions.url ?? '');

export async function installRateLimit(app: FastifyInstance, config: RateLimitConfig): Promise<void> {
  if (!config.RATE_LIMIT_ENABLED) {
    return;
  }
  const redis =
    config.REDIS_URL === undefined
      ? undefined
      : // Fail fast (a Redis that accepts and never answers included): requests then pass unlimited.
        new Redis(config.REDIS_URL, { connectTimeout: 500, commandTimeout: 250, maxRetriesPerRequest: 1, enableOfflineQueue: false });
  redis?.on('error', (error: unknown) => app.log.warn({ err: error }, 'rate-limit redis error (requests are let through meanwhile)'));
  await app.register(rateLimit, {
    global: true,
    timeWindow: config.RATE_LIMIT_WINDOW_SECONDS * 1000,
    keyGenerator: (request) => (request.caller === null ? `ip:${request.ip}` : `key:${request.caller.apiKeyId}`),
    max: (_request, key) => (key.startsWith('key:') ? config.RATE_LIMIT_MAX : config.RATE_LIMIT_ANONYMOUS_MAX),
    allowList: (request) => isHealthRoute(request),
    // A Redis outage must not turn into 500s: requests pass unlimited until it is back.
    skipOnError: true,
    ...(redis ? { redis, nameSpace: 'face-attendance-rate:' } : {}),
    errorResponseBuilder: (_request, context) => new RateLimitedError(Math.max(1, Math.ceil(context.ttl / 1000))),
  });
  if (redis) {
    app.addHook('onClose', async () => {
      await redis.quit().catch(() => undefined);
    });
  }
}
