// A fresh, migrated database per test file, dropped afterwards: tests never
// share state and run against the real MariaDB with the project's own runner.
import { randomBytes } from 'node:crypto';
import mariadb from 'mariadb';
import { migrate } from '../../src/db/migrate.js';
import { createPrisma, type PrismaOptions } from '../../src/db/prisma.js';
import { splitDatabaseUrl, withDatabase } from '../../src/db/database-url.js';
import type { PrismaClient } from '../../src/generated/prisma/client.js';

/** Server to create test databases on; override with TEST_DATABASE_URL (any database name). */
const baseUrl = process.env.TEST_DATABASE_URL ?? 'mysql://root@127.0.0.1:3306/test';

export interface TestDatabase {
  url: string;
  name: string;
  prisma: PrismaClient;
  drop(): Promise<void>;
}

export async function createTestDatabase(prismaOptions: PrismaOptions = {}): Promise<TestDatabase> {
  const name = `fa_test_${Date.now().toString(36)}_${randomBytes(3).toString('hex')}`;
  const url = withDatabase(baseUrl, name);
  await migrate(url);
  const prisma = createPrisma(url, prismaOptions);
  return {
    url,
    name,
    prisma,
    async drop() {
      await prisma.$disconnect();
      await dropDatabase(url);
    },
  };
}

export async function dropDatabase(url: string): Promise<void> {
  const { serverUrl, database } = splitDatabaseUrl(url);
  const u = new URL(serverUrl);
  const conn = await mariadb.createConnection({
    host: u.hostname,
    port: u.port ? Number(u.port) : 3306,
    user: decodeURIComponent(u.username || 'root'),
    password: decodeURIComponent(u.password),
  });
  try {
    await conn.query(`DROP DATABASE IF EXISTS \`${database}\``);
  } finally {
    await conn.end();
  }
}
