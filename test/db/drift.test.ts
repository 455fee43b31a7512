// Fails when prisma/schema.prisma and the hand-written migrations disagree:
// every model, column (type, length, nullability, enum values) and index of the
// schema must exist in a freshly migrated database, and nothing more.
import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrate } from '../../src/db/migrate.js';
import { createTestDatabase, type TestDatabase } from '../helpers/database.js';
import { readPrismaSchema, type ExpectedTable } from './prisma-schema-reader.js';

interface ColumnRow {
  TABLE_NAME: string;
  COLUMN_NAME: string;
  DATA_TYPE: string;
  IS_NULLABLE: 'YES' | 'NO';
  CHARACTER_MAXIMUM_LENGTH: bigint | number | null;
  COLUMN_TYPE: string;
}

let db: TestDatabase;
let expected: ExpectedTable[];

beforeAll(async () => {
  db = await createTestDatabase();
  expected = readPrismaSchema(await readFile(new URL('../../prisma/schema.prisma', import.meta.url), 'utf8'));
});
afterAll(async () => {
  await db?.drop();
});

describe('schema drift', () => {
  it('has the tables of schema.prisma, no more', async () => {
    const rows = await db.prisma.$queryRawUnsafe<{ TABLE_NAME: string }[]>(
      "SELECT TABLE_NAME FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME <> '_prisma_migrations'",
    );
    expect(rows.map((r) => r.TABLE_NAME).sort()).toEqual(expected.map((t) => t.name).sort());
  });

  it('has every column with the type, length and nullability of schema.prisma', async () => {
    const rows = await db.prisma.$queryRawUnsafe<ColumnRow[]>(
      'SELECT TABLE_NAME, COLUMN_NAME, DATA_TYPE, IS_NULLABLE, CHARACTER_MAXIMUM_LENGTH, COLUMN_TYPE FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE()',
    );
    for (const table of expected) {
      const actual = rows.filter((r) => r.TABLE_NAME === table.name);
      expect(actual.map((c) => c.COLUMN_NAME).sort(), `columns of ${table.name}`).toEqual(
        table.columns.map((c) => c.name).sort(),
      );
      for (const col of table.columns) {
        const row = actual.find((r) => r.COLUMN_NAME === col.name)!;
        const where = `${table.name}.${col.name}`;
        expect(row.DATA_TYPE, where).toBe(col.dataType);
        expect(row.IS_NULLABLE === 'YES', `${where} nullable`).toBe(col.nullable);
        if (col.length !== undefined) {
          expect(Number(row.CHARACTER_MAXIMUM_LENGTH), `${where} length`).toBe(col.length);
        }
        if (col.columnType) {
          expect(row.COLUMN_TYPE, where).toBe(col.columnType);
        }
        if (col.enumValues) {
          expect(row.COLUMN_TYPE, where).toBe(`enum(${col.enumValues.map((v) => `'${v}'`).join(',')})`);
        }
      }
    }
  });

  it('has the unique keys and indexes of schema.prisma', async () => {
    const rows = await db.prisma.$queryRawUnsafe<{ TABLE_NAME: string; INDEX_NAME: string }[]>(
      "SELECT DISTINCT TABLE_NAME, INDEX_NAME FROM information_schema.STATISTICS WHERE TABLE_SCHEMA = DATABASE() AND INDEX_NAME <> 'PRIMARY'",
    );
    for (const table of expected) {
      const actual = rows
        .filter((r) => r.TABLE_NAME === table.name)
        .map((r) => r.INDEX_NAME)
        // InnoDB adds an index for each foreign key that has none of its own.
        .filter((n) => !n.endsWith('_fkey'))
        .sort();
      expect(actual, `indexes of ${table.name}`).toEqual(table.indexes);
    }
  });

  it('re-running the migrations applies nothing and records each once', async () => {
    const again = await migrate(db.url);
    expect(again.applied).toEqual([]);
    const recorded = await db.prisma.$queryRawUnsafe<{ n: bigint }[]>(
      'SELECT COUNT(*) AS n FROM `_prisma_migrations` WHERE finished_at IS NOT NULL',
    );
    expect(Number(recorded[0]!.n)).toBe(again.alreadyApplied.length);
  });
});
