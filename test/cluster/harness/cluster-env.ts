// What every multi-instance test shares: a fresh database, a REDIS_PREFIX of
// its own (so parallel tests and other deployments on the same Redis never
// meet), one admin key, and clean-up of all three.
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Redis } from 'ioredis';
import { createTestDatabase, type TestDatabase } from '../../helpers/database.js';
import { FACES_DIR } from '../../helpers/shared-faces.js';

export const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

export interface ClusterEnv {
  db: TestDatabase;
  prefix: string;
  adminKey: string;
  /** A DATA_DIR the instances share (as on one machine or a shared volume). */
  dataDir: string;
  redis: Redis;
  /** The environment of a server instance; `extra` wins. */
  serverEnv(extra?: Record<string, string>): Record<string, string>;
  /** Keys under the prefix (SCAN). */
  keys(pattern?: string): Promise<string[]>;
  cleanup(): Promise<void>;
}

export async function createClusterEnv(name: string): Promise<ClusterEnv> {
  const db = await createTestDatabase();
  const prefix = `fa-test-${name}-${randomBytes(4).toString('hex')}`;
  const adminKey = `test-admin-${randomBytes(16).toString('hex')}`;
  const secret = randomBytes(24).toString('hex');
  // Every instance reads the templates the others wrote: one key for all.
  const templateKey = randomBytes(32).toString('base64');
  const dataDir = await mkdtemp(path.join(tmpdir(), 'fa-cluster-data-'));
  const redis = new Redis(REDIS_URL, { maxRetriesPerRequest: 1 });
  const keys = async (pattern = '*'): Promise<string[]> => {
    const found: string[] = [];
    let cursor = '0';
    do {
      const [next, batch] = await redis.scan(cursor, 'MATCH', `${prefix}:${pattern}`, 'COUNT', 1000);
      cursor = next;
      found.push(...batch);
    } while (cursor !== '0');
    return found;
  };
  return {
    db,
    prefix,
    adminKey,
    dataDir,
    redis,
    serverEnv: (extra = {}) => ({
      NODE_ENV: 'test',
      HOST: '127.0.0.1',
      PORT: '0',
      LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'warn',
      DATABASE_URL: db.url,
      SECRET_KEY: secret,
      TEMPLATE_ENCRYPTION_KEY: templateKey,
      // The walk-by video may be a camera source created through the API.
      CAMERA_MEDIA_DIRS: path.join(FACES_DIR, 'video'),
      ADMIN_API_KEY: adminKey,
      DATA_DIR: dataDir,
      REDIS_URL,
      REDIS_PREFIX: prefix,
      WORKER_POOL_SIZE: '1',
      WORKER_INTRA_OP_THREADS: '1',
      SNAPSHOTS_ENABLED: 'false',
      ...extra,
    }),
    keys,
    async cleanup() {
      const left = await keys().catch(() => []);
      for (let i = 0; i < left.length; i += 500) {
        await redis.del(...left.slice(i, i + 500));
      }
      redis.disconnect();
      await db.drop();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}
