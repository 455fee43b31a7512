// A listener that serves only GET /metrics, for processes without an HTTP API
// (queue workers: METRICS_PORT). Access is the servers' rule
// (metrics-access.ts). Plain node:http: one route needs no framework.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Config } from '../config.js';
import { metricsAccess } from './metrics-access.js';

export interface MetricsSource {
  readonly contentType: string;
  text(): Promise<string>;
}

export interface MetricsServer {
  /** http://host:port (the port chosen when 0 was asked). */
  readonly url: string;
  close(): Promise<void>;
}

export async function startMetricsServer(options: {
  host: string;
  port: number;
  config: Pick<Config, 'METRICS_TOKEN' | 'METRICS_ALLOW'>;
  metrics: MetricsSource;
  onError(error: unknown): void;
}): Promise<MetricsServer> {
  const access = metricsAccess(options.config);
  const json = (res: ServerResponse, status: number, body: object): void => {
    res.writeHead(status, { 'content-type': 'application/json; charset=utf-8' }).end(JSON.stringify(body));
  };
  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const path = (req.url ?? '/').split('?')[0];
    if (path !== '/metrics') {
      json(res, 404, { detail: 'Not Found' });
      return;
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      json(res, 405, { detail: 'Method Not Allowed' });
      return;
    }
    const verdict = access(req.socket.remoteAddress ?? '', req.headers.authorization);
    if (!verdict.allowed) {
      json(res, verdict.status, { detail: verdict.detail });
      return;
    }
    const body = await options.metrics.text();
    res.writeHead(200, { 'content-type': options.metrics.contentType }).end(req.method === 'HEAD' ? undefined : body);
  };
  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      options.onError(error);
      if (!res.headersSent) {
        json(res, 500, { detail: 'metrics unavailable' });
      }
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  const host = options.host === '0.0.0.0' || options.host === '::' ? '127.0.0.1' : options.host;
  return {
    url: `http://${host.includes(':') ? `[${host}]` : host}:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
