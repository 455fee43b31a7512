// A local TCP relay in front of a server (MariaDB by default, or Redis) that a
// test can cut and restore, to make the server unreachable without touching
// it. Three ways to cut, as an operator's bad day has them:
// - 'refuse': every open connection dropped, new ones refused (ECONNREFUSED): a stopped server;
// - 'reset': open connections dropped, new ones accepted and closed at once: a crashing server;
// - 'blackhole': open connections frozen (nothing forwarded either way), new ones accepted
//   and never answered: a network partition. Only timeouts get a client out of it.
// restore() forwards again; connections frozen by a blackhole are dropped then (the
// server gave up on them long ago).
import { createServer, connect, type AddressInfo, type Server, type Socket } from 'node:net';

export type CutMode = 'refuse' | 'reset' | 'blackhole';
export const CUT_MODES: readonly CutMode[] = ['refuse', 'reset', 'blackhole'];

export interface TcpProxy {
  /** The port clients connect to (127.0.0.1). */
  readonly port: number;
  /** Rewrites a mysql:// or redis:// URL to go through the proxy. */
  urlFor(url: string): string;
  /** Cuts the relay; default 'refuse'. Resolves once the mode is in force. */
  cut(mode?: CutMode): Promise<void>;
  /** Forwards again on the same port. */
  restore(): Promise<void>;
  readonly isCut: boolean;
  readonly mode: CutMode | 'open';
  /** Connections accepted since start. */
  readonly connectionCount: number;
  close(): Promise<void>;
}

export async function startTcpProxy(target: { host?: string; port?: number } = {}): Promise<TcpProxy> {
  const targetHost = target.host ?? '127.0.0.1';
  const targetPort = target.port ?? 3306;
  /** Live relayed pairs, and sockets held open by a blackhole. */
  const sockets = new Set<Socket>();
  let server: Server | undefined;
  let port = 0;
  let mode: CutMode | 'open' = 'open';
  let connectionCount = 0;

  const track = (s: Socket): void => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
    // A cut connection errors with ECONNRESET on the other side; that is the point.
    s.on('error', () => s.destroy());
  };

  const relay = (client: Socket): void => {
    const upstream = connect(targetPort, targetHost);
    track(upstream);
    client.pipe(upstream);
    upstream.pipe(client);
    client.on('close', () => upstream.destroy());
    upstream.on('close', () => client.destroy());
  };

  const onConnection = (client: Socket): void => {
    connectionCount += 1;
    track(client);
    switch (mode) {
      case 'open':
        relay(client);
        return;
      case 'reset':
      case 'refuse':
        client.destroy();
        return;
      case 'blackhole':
        // Accepted, read from (so the client's writes succeed), never answered.
        client.on('data', () => undefined);
        return;
    }
  };

  const listen = (): Promise<void> =>
    new Promise((resolve, reject) => {
      const srv = createServer(onConnection);
      srv.once('error', reject);
      srv.listen(port, '127.0.0.1', () => {
        port = (srv.address() as AddressInfo).port;
        server = srv;
        resolve();
      });
    });

  const dropAll = (): void => {
    for (const s of sockets) {
      s.destroy();
    }
    sockets.clear();
  };

  const stopListening = (): Promise<void> =>
    new Promise((resolve) => {
      if (!server) {
        resolve();
        return;
      }
      const srv = server;
      server = undefined;
      srv.close(() => resolve());
    });

  const freezeAll = (): void => {
    for (const s of sockets) {
      s.unpipe();
      s.removeAllListeners('data');
      // Keep reading into the void so neither side sees back-pressure: bytes just vanish.
      s.on('data', () => undefined);
    }
  };

  const restore = async (): Promise<void> => {
    if (mode === 'open') {
      return;
    }
    const was = mode;
    mode = 'open';
    if (was === 'blackhole') {
      dropAll();
    }
    if (!server) {
      await listen();
    }
  };

  await listen();

  return {
    get port() {
      return port;
    },
    get isCut() {
      return mode !== 'open';
    },
    get mode() {
      return mode;
    },
    get connectionCount() {
      return connectionCount;
    },
    urlFor(url: string) {
      const u = new URL(url);
      u.hostname = '127.0.0.1';
      u.port = String(port);
      return u.toString();
    },
    async cut(next: CutMode = 'refuse') {
      if (mode !== 'open') {
        await restore();
      }
      mode = next;
      switch (next) {
        case 'refuse':
          dropAll();
          await stopListening();
          return;
        case 'reset':
          dropAll();
          return;
        case 'blackhole':
          freezeAll();
          return;
      }
    },
    restore,
    async close() {
      mode = 'refuse';
      dropAll();
      await stopListening();
    },
  };
}
