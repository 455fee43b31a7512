// Shared pieces of the security probes: the real server in production mode on a
// fresh database, raw GraphQL and REST calls, and a fingerprint of every table
// so a refused request can be shown to have changed nothing.
import { createHash } from 'node:crypto';
import type { PrismaClient } from '../../src/generated/prisma/client.js';
import { startTestApp, type TestApp, type TestAppOptions } from '../helpers/test-app.js';
import { readFacePhoto } from '../helpers/seed-faces.js';

export const PRODUCTION_ENV: Record<string, string> = { NODE_ENV: 'production' };

export function startProductionApp(options: TestAppOptions = {}): Promise<TestApp> {
  return startTestApp({ ...options, env: { ...PRODUCTION_ENV, ...options.env } });
}

export interface RawGraphQl {
  status: number;
  headers: Headers;
  body: { data?: Record<string, unknown> | null; errors?: { message: string; extensions?: { code?: string; stacktrace?: unknown } }[] };
  text: string;
}

/** A GraphQL POST with a raw query string (probes build documents no typed client would). */
export async function rawGql(
  t: TestApp,
  query: string | unknown[],
  options: { key?: string | null; variables?: Record<string, unknown>; headers?: Record<string, string> } = {},
): Promise<RawGraphQl> {
  const key = options.key === undefined ? t.adminKey : options.key;
  const body = Array.isArray(query) ? query : { query, variables: options.variables ?? {} };
  const response = await fetch(`${t.url}/graphql`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      accept: 'application/graphql-response+json, application/json',
      ...(key === null ? {} : { authorization: `Bearer ${key}` }),
      ...options.headers,
    },
    body: JSON.stringify(body),
  });
  const text = await response.text();
  let parsed: RawGraphQl['body'] = {};
  try {
    parsed = JSON.parse(text) as RawGraphQl['body'];
  } catch {
    // left empty: the caller looks at status and text
  }
  return { status: response.status, headers: response.headers, body: parsed, text };
}

export const photoBase64 = (file: string): string => Buffer.from(readFacePhoto(file)).toString('base64');

const TABLES = [
  'Employee',
  'FaceTemplate',
  'EnrollmentSession',
  'ClassifierModel',
  'Camera',
  'AttendanceLog',
  'ApiKey',
  'AuditLog',
  'IdempotencyRecord',
] as const;

/** Bookkeeping columns that change on reads and say nothing about the data. */
const IGNORED = new Set(['lastUsedAt']);

/** sha256 of every row of every table (ordered by id): equal before and after = nothing changed. */
export async function databaseFingerprint(prisma: PrismaClient): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const table of TABLES) {
    const rows = await prisma.$queryRawUnsafe<Record<string, unknown>[]>(`SELECT * FROM \`${table}\` ORDER BY id`);
    const hash = createHash('sha256');
    for (const row of rows) {
      for (const [column, value] of Object.entries(row)) {
        if (!IGNORED.has(column)) {
          hash.update(`${column}=${value instanceof Uint8Array ? Buffer.from(value).toString('hex') : JSON.stringify(value, (_k, v: unknown) => (typeof v === 'bigint' ? String(v) : v))};`);
        }
      }
      hash.update('\n');
    }
    out[table] = `${rows.length}:${hash.digest('hex').slice(0, 16)}`;
  }
  return out;
}
