// Starts the real server on an ephemeral port against a fresh, migrated
// database, with a known admin key. Every API test goes through this.
//
//   const t = await startTestApp();
//   const res = await t.gql(EmployeesDocument, {}, t.adminKey);
//   await t.stop();
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import type { TypedDocumentNode } from '@graphql-typed-document-node/core';
import type { Config } from '../../src/config.js';
import { buildApp } from '../../src/app.js';
import type { App, AppOverrides } from '../../src/app.js';
import type { PrismaOptions } from '../../src/db/prisma.js';
import type { Role } from '../../src/auth/permissions.js';
import { createTestDatabase } from './database.js';
import { testConfig } from './test-config.js';
import type { TestDatabase } from './database.js';
import { graphqlRequest } from './graphql-client.js';
import type { GraphQlResponse } from './graphql-client.js';
import { restRequest } from './rest-client.js';
import type { RestOptions, RestResponse } from './rest-client.js';

export interface TestApp {
  app: App;
  db: TestDatabase;
  config: Config;
  url: string;
  port: number;
  adminKey: string;
  /** A temporary DATA_DIR, removed on stop. */
  dataDir: string;
  gql<R, V>(document: TypedDocumentNode<R, V>, variables: V, key?: string | null): Promise<GraphQlResponse<R>>;
  rest<T = unknown>(method: string, route: string, options?: RestOptions): Promise<RestResponse<T>>;
  /** A fresh key with this role (optionally bound to a camera). */
  createKey(role: Role, options?: { cameraId?: number }): Promise<string>;
  stop(): Promise<void>;
}

export interface TestAppOptions {
  /** Extra environment, e.g. { BODY_LIMIT_BYTES: '1024' }. */
  env?: Record<string, string>;
  /** Passed to the test database's Prisma client, e.g. { log: ['query'] } to count queries. */
  prisma?: PrismaOptions;
  overrides?: Omit<AppOverrides, 'prisma'>;
}

export async function startTestApp(options: TestAppOptions = {}): Promise<TestApp> {
  const db = await createTestDatabase(options.prisma);
  const dataDir = await mkdtemp(path.join(tmpdir(), 'fa-test-data-'));
  const adminKey = `test-admin-${randomBytes(16).toString('hex')}`;
  const config = testConfig({ DATABASE_URL: db.url, ADMIN_API_KEY: adminKey, DATA_DIR: dataDir, ...options.env });
  const app = await buildApp(config, { ...options.overrides, prisma: db.prisma });
  const { url, port } = await app.start();

  return {
    app,
    db,
    config,
    url,
    port,
    adminKey,
    dataDir,
    gql: (document, variables, key = adminKey) => graphqlRequest(url, document, variables, key),
    rest: (method, route, restOptions) => restRequest(url, method, route, { key: adminKey, ...restOptions }),
    async createKey(role, keyOptions = {}) {
      const { key } = await app.services.apiKeys.create(null, { name: `test ${role}`, role, cameraId: keyOptions.cameraId });
      return key;
    },
    async stop() {
      await app.stop();
      await db.drop();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}
