// One PrismaClient per process, on the MariaDB driver adapter (Prisma 7 needs
// no Rust engine with it).
//
// Every call is bounded in time, so a database that hangs (a network partition:
// connections accepted, nothing answered) never holds a request or a camera
// frame for long; the caller gets an error, which the attendance outbox and the
// HTTP error mapping (src/db/prisma-errors.ts) know what to do with:
// - connectTimeout: TCP connect + handshake of a new connection;
// - acquireTimeout: waiting for a pooled connection (creating one included);
// - socketTimeout: a connection silent this long is dropped (a query that never
//   answers); it also closes idle pooled connections, hence minimumIdle 1: the
//   pool opens connections on demand (it needs minimumIdle >= 1 for that) and
//   re-opens only one idle connection every socketTimeout, not the whole pool;
// - transactionOptions: maxWait to start an interactive transaction, timeout for
//   the whole of it.
import { PrismaMariaDb } from '@prisma/adapter-mariadb';
import { PrismaClient } from '../generated/prisma/client.js';

export type Prisma = PrismaClient;

export interface PrismaOptions {
  /** Pool size per process. */
  connectionLimit?: number;
  /** New connections and pool acquisition; default DEFAULT_CONNECT_TIMEOUT_MS. */
  connectTimeoutMs?: number;
  /** Defaults to connectTimeoutMs. */
  acquireTimeoutMs?: number;
  /** A silent connection is dropped after this long; also the transaction timeout. Default DEFAULT_QUERY_TIMEOUT_MS. */
  queryTimeoutMs?: number;
  log?: ('query' | 'info' | 'warn' | 'error')[];
}

/** Defaults of DB_CONNECT_TIMEOUT_MS / DB_QUERY_TIMEOUT_MS (src/config.ts). */
export const DEFAULT_CONNECT_TIMEOUT_MS = 2_000;
export const DEFAULT_QUERY_TIMEOUT_MS = 5_000;

export function createPrisma(databaseUrl: string, options: PrismaOptions = {}): PrismaClient {
  const u = new URL(databaseUrl.replace(/^mariadb:/, 'mysql:'));
  const connectTimeout = options.connectTimeoutMs ?? DEFAULT_CONNECT_TIMEOUT_MS;
  const acquireTimeout = options.acquireTimeoutMs ?? connectTimeout;
  const queryTimeout = options.queryTimeoutMs ?? DEFAULT_QUERY_TIMEOUT_MS;
  const adapter = new PrismaMariaDb({
    host: u.hostname,
    port: u.port ? Number(u.port) : 3306,
    user: decodeURIComponent(u.username || 'root'),
    password: decodeURIComponent(u.password),
    database: decodeURIComponent(u.pathname.replace(/^\//, '')),
    connectionLimit: options.connectionLimit ?? 10,
    connectTimeout,
    acquireTimeout,
    socketTimeout: queryTimeout,
    minimumIdle: 1,
  });
  return new PrismaClient({
    adapter,
    log: (options.log ?? []).map((level) => ({ emit: 'event' as const, level })),
    // A little over the pool's own acquire timeout, so the driver's clearer error wins.
    transactionOptions: { maxWait: acquireTimeout + 250, timeout: queryTimeout },
  });
}
