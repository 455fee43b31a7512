// A local TCP proxy in front of a server (MariaDB by default) that a test can
// cut and restore, to make the database unreachable without touching the real
// server: cut() destroys every open connection and refuses new ones.
import { createServer, connect, type AddressInfo, type Server, type Socket } from 'node:net';

export interface TcpProxy {
  /** The port clients connect to (127.0.0.1). */
  readonly port: number;
  /** Rewrites a mysql:// URL to go through the proxy. */
  urlFor(databaseUrl: string): string;
  /** Drops all open connections and stops accepting (clients get ECONNREFUSED). */
  cut(): Promise<void>;
  /** Accepts connections again on the same port. */
  restore(): Promise<void>;
  readonly isCut: boolean;
  /** Connections accepted since start. */
  readonly connectionCount: number;
  close(): Promise<void>;
}

export async function startTcpProxy(target: { host?: string; port?: number } = {}): Promise<TcpProxy> {
  const targetHost = target.host ?? '127.0.0.1';
  const targetPort = target.port ?? 3306;
  const sockets = new Set<Socket>();
  let server: Server | undefined;
  let port = 0;
  let isCut = false;
  let connectionCount = 0;

  const track = (s: Socket): void => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
    // A cut connection errors with ECONNRESET on the other side; that is the point.
    s.on('error', () => s.destroy());
  };

  const listen = (): Promise<void> =>
    new Promise((resolve, reject) => {
      const srv = createServer((client) => {
        connectionCount += 1;
        const upstream = connect(targetPort, targetHost);
        track(client);
        track(upstream);
        client.pipe(upstream);
        upstream.pipe(client);
        client.on('close', () => upstream.destroy());
        upstream.on('close', () => client.destroy());
      });
      srv.once('error', reject);
      srv.listen(port, '127.0.0.1', () => {
        port = (srv.address() as AddressInfo).port;
        server = srv;
        resolve();
      });
    });

  const stop = (): Promise<void> =>
    new Promise((resolve) => {
      for (const s of sockets) {
        s.destroy();
      }
      sockets.clear();
      if (!server) {
        resolve();
        return;
      }
      const srv = server;
      server = undefined;
      srv.close(() => resolve());
    });

  await listen();

  return {
    get port() {
      return port;
    },
    get isCut() {
      return isCut;
    },
    get connectionCount() {
      return connectionCount;
    },
    urlFor(databaseUrl: string) {
      const u = new URL(databaseUrl);
      u.hostname = '127.0.0.1';
      u.port = String(port);
      return u.toString();
    },
    async cut() {
      isCut = true;
      await stop();
    },
    async restore() {
      if (!isCut) {
        return;
      }
      await listen();
      isCut = false;
    },
    async close() {
      isCut = true;
      await stop();
    },
  };
}
