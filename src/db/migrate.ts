// Applies prisma/migrations/*/migration.sql in order and records each in
// `_prisma_migrations` exactly as `prisma migrate deploy` would (same columns,
// sha256 checksum), so a machine with Prisma's schema engine sees the same
// history. MySQL DDL is not transactional: a migration that fails half-way is
// left marked unfinished and blocks further runs until someone looks at it.
import { createHash, randomUUID } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import path from 'node:path';
import mariadb from 'mariadb';
import { splitDatabaseUrl } from './database-url.js';

export const defaultMigrationsDir = fileURLToPath(new URL('../../prisma/migrations', import.meta.url));

const migrationsTableSql = `CREATE TABLE IF NOT EXISTS \`_prisma_migrations\` (
    \`id\` VARCHAR(36) PRIMARY KEY NOT NULL,
    \`checksum\` VARCHAR(64) NOT NULL,
    \`finished_at\` DATETIME(3),
    \`migration_name\` VARCHAR(255) NOT NULL,
    \`logs\` TEXT,
    \`rolled_back_at\` DATETIME(3),
    \`started_at\` DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
    \`applied_steps_count\` INTEGER UNSIGNED NOT NULL DEFAULT 0
) DEFAULT CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`;

export interface MigrationFile {
  name: string;
  sql: string;
  checksum: string;
}

export interface MigrateResult {
  applied: string[];
  alreadyApplied: string[];
}

export class MigrationError extends Error {
  override name = 'MigrationError';
}

export async function readMigrations(dir = defaultMigrationsDir): Promise<MigrationFile[]> {
  const entries = await readdir(dir, { withFileTypes: true });
  const names = entries.filter((e) => e.isDirectory()).map((e) => e.name).sort();
  return Promise.all(
    names.map(async (name) => {
      const sql = await readFile(path.join(dir, name, 'migration.sql'), 'utf8');
      return { name, sql, checksum: createHash('sha256').update(sql).digest('hex') };
    }),
  );
}

interface AppliedRow {
  migration_name: string;
  checksum: string;
  finished_at: Date | null;
  rolled_back_at: Date | null;
}

/** Creates the database if needed and applies pending migrations. Safe to run concurrently and repeatedly. */
export async function migrate(
  databaseUrl: string,
  options: { dir?: string; log?: (line: string) => void } = {},
): Promise<MigrateResult> {
  const log = options.log ?? (() => undefined);
  const { serverUrl, database } = splitDatabaseUrl(databaseUrl);
  const migrations = await readMigrations(options.dir);

  const server = await mariadb.createConnection(toConnectionConfig(serverUrl));
  try {
    await server.query(
      `CREATE DATABASE IF NOT EXISTS \`${database}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`,
    );
  } finally {
    await server.end();
  }

  const conn = await mariadb.createConnection({ ...toConnectionConfig(serverUrl), database, multipleStatements: true });
  try {
    // Serialises runners of several server instances starting at once.
    const [lock] = await conn.query<{ got: number }[]>('SELECT GET_LOCK(?, 60) AS got', [`migrate:${database}`]);
    if (lock?.got !== 1) {
      throw new MigrationError('Could not take the migration lock within 60 s');
    }
    try {
      await conn.query(migrationsTableSql);
      const rows = await conn.query<AppliedRow[]>(
        'SELECT migration_name, checksum, finished_at, rolled_back_at FROM `_prisma_migrations`',
      );
      const applied = new Map(rows.filter((r) => r.rolled_back_at === null).map((r) => [r.migration_name, r]));
      const result: MigrateResult = { applied: [], alreadyApplied: [] };

      for (const m of migrations) {
        const row = applied.get(m.name);
        if (row) {
          if (row.finished_at === null) {
            throw new MigrationError(
              `Migration ${m.name} started but did not finish; fix the database by hand, then mark it rolled back`,
            );
          }
          if (row.checksum !== m.checksum) {
            log(`warning: migration ${m.name} was edited after it was applied (checksum differs)`);
          }
          result.alreadyApplied.push(m.name);
          continue;
        }
        const id = randomUUID();
        await conn.query(
          'INSERT INTO `_prisma_migrations` (id, checksum, migration_name, started_at, applied_steps_count) VALUES (?, ?, ?, NOW(3), 0)',
          [id, m.checksum, m.name],
        );
        try {
          await conn.query(m.sql);
        } catch (err) {
          await conn.query('UPDATE `_prisma_migrations` SET logs = ? WHERE id = ?', [String(err), id]);
          throw new MigrationError(`Migration ${m.name} failed: ${(err as Error).message}`);
        }
        await conn.query(
          'UPDATE `_prisma_migrations` SET finished_at = NOW(3), applied_steps_count = 1 WHERE id = ?',
          [id],
        );
        log(`applied ${m.name}`);
        result.applied.push(m.name);
      }
      return result;
    } finally {
      await conn.query('SELECT RELEASE_LOCK(?)', [`migrate:${database}`]);
    }
  } finally {
    await conn.end();
  }
}

function toConnectionConfig(url: string): mariadb.ConnectionConfig {
  const u = new URL(url.replace(/^mariadb:/, 'mysql:'));
  return {
    host: u.hostname,
    port: u.port ? Number(u.port) : 3306,
    user: decodeURIComponent(u.username || 'root'),
    password: decodeURIComponent(u.password),
    connectTimeout: 10_000,
  };
}
