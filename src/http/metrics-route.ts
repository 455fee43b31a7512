// GET /metrics (Prometheus text format) and the HTTP latency histogram.
// Access is a setting: `Authorization: Bearer <METRICS_TOKEN>` or a client
// address inside METRICS_ALLOW (CIDR list; loopback by default). A wrong
// token is 401, anyone else 403; the API keys play no part (Prometheus has
// none), so the route is 'public' for the API's own auth.
import { timingSafeEqual } from 'node:crypto';
import { BlockList, isIPv4, isIPv6 } from 'node:net';
import type { FastifyInstance } from 'fastify';
import type { Config } from '../config.js';
import type { AppMetrics } from '../metrics/app-metrics.js';

export const METRICS_PATH = '/metrics';

export function allowedNetworks(list: string): BlockList {
  const networks = new BlockList();
  for (const cidr of list.split(',').map((n) => n.trim()).filter((n) => n !== '')) {
    const [address = '', bits = ''] = cidr.split('/');
    const type = isIPv6(address) ? 'ipv6' : 'ipv4';
    if (!isIPv4(address) && !isIPv6(address)) {
      throw new Error(`METRICS_ALLOW: ${cidr} is not an IP network`);
    }
    networks.addSubnet(address, Number(bits), type);
  }
  return networks;
}

/** `::ffff:10.0.0.1` (an IPv4 client on a dual-stack socket) is checked as 10.0.0.1. */
function inNetworks(networks: BlockList, ip: string): boolean {
  const v4 = ip.startsWith('::ffff:') && isIPv4(ip.slice(7)) ? ip.slice(7) : ip;
  return isIPv4(v4) ? networks.check(v4, 'ipv4') : isIPv6(v4) && networks.check(v4, 'ipv6');
}

function sameToken(given: string, expected: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

export function installMetrics(http: FastifyInstance, metrics: AppMetrics, config: Pick<Config, 'METRICS_TOKEN' | 'METRICS_ALLOW'>): void {
  const networks = allowedNetworks(config.METRICS_ALLOW);

  http.addHook('onResponse', async (request, reply) => {
    // The route pattern, so /employees/1 and /employees/2 are one series; unknown routes are one too.
    const route = request.routeOptions.url ?? 'unmatched';
    metrics.httpDuration.observe({ method: request.method, route, status_code: String(reply.statusCode) }, reply.elapsedTime / 1000);
  });

  http.get(METRICS_PATH, { config: { auth: 'public' }, schema: { hide: true } }, async (request, reply) => {
    const header = request.headers.authorization;
    const bearer = typeof header === 'string' && header.startsWith('Bearer ') ? header.slice(7) : undefined;
    if (bearer !== undefined && config.METRICS_TOKEN !== undefined) {
      if (!sameToken(bearer, config.METRICS_TOKEN)) {
        return reply.status(401).send({ detail: 'Invalid metrics token' });
      }
    } else if (!inNetworks(networks, request.ip)) {
      return reply.status(403).send({ detail: 'Metrics are served to METRICS_ALLOW networks or with the METRICS_TOKEN bearer token' });
    }
    return reply.header('content-type', metrics.contentType).send(await metrics.text());
  });
}
