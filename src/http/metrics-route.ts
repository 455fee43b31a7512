// GET /metrics (Prometheus text format) and the HTTP latency histogram.
// Access is a setting (src/metrics/metrics-access.ts: METRICS_TOKEN or
// METRICS_ALLOW); the API keys play no part (Prometheus has none), so the
// route is 'public' for the API's own auth.
import type { FastifyInstance } from 'fastify';
import type { Config } from '../config.js';
import type { AppMetrics } from '../metrics/app-metrics.js';
import { metricsAccess } from '../metrics/metrics-access.js';

export const METRICS_PATH = '/metrics';

export function installMetrics(http: FastifyInstance, metrics: AppMetrics, config: Pick<Config, 'METRICS_TOKEN' | 'METRICS_ALLOW'>): void {
  const access = metricsAccess(config);

  http.addHook('onResponse', async (request, reply) => {
    // The route pattern, so /employees/1 and /employees/2 are one series; unknown routes are one too.
    const route = request.routeOptions.url ?? 'unmatched';
    metrics.httpDuration.observe({ method: request.method, route, status_code: String(reply.statusCode) }, reply.elapsedTime / 1000);
  });

  http.get(METRICS_PATH, { config: { auth: 'public' }, schema: { hide: true } }, async (request, reply) => {
    const header = request.headers.authorization;
    const verdict = access(request.ip, typeof header === 'string' ? header : undefined);
    if (!verdict.allowed) {
      return reply.status(verdict.status).send({ detail: verdict.detail });
    }
    return reply.header('content-type', metrics.contentType).send(await metrics.text());
  });
}
