// One PrismaClient per process, on the MariaDB driver adapter (Prisma 7 needs
// no Rust engine with it).
import { PrismaMariaDb } from '@prisma/adapter-mariadb';
import { PrismaClient } from '../generated/prisma/client.js';

export type Prisma = PrismaClient;

export interface PrismaOptions {
  /** Pool size per process. */
  connectionLimit?: number;
  /** Fail fast when the server is unreachable instead of waiting for the driver's defaults. */
  connectTimeoutMs?: number;
  acquireTimeoutMs?: number;
  log?: ('query' | 'info' | 'warn' | 'error')[];
}

export function createPrisma(databaseUrl: string, options: PrismaOptions = {}): PrismaClient {
  const u = new URL(databaseUrl.replace(/^mariadb:/, 'mysql:'));
  const adapter = new PrismaMariaDb({
    host: u.hostname,
    port: u.port ? Number(u.port) : 3306,
    user: decodeURIComponent(u.username || 'root'),
    password: decodeURIComponent(u.password),
    database: decodeURIComponent(u.pathname.replace(/^\//, '')),
    connectionLimit: options.connectionLimit ?? 10,
    connectTimeout: options.connectTimeoutMs ?? 5_000,
    acquireTimeout: options.acquireTimeoutMs ?? 10_000,
  });
  return new PrismaClient({
    adapter,
    log: (options.log ?? []).map((level) => ({ emit: 'event' as const, level })),
  });
}
