// Small HTTP helpers for the multi-instance tests (the servers are other
// processes: only their HTTP API is reachable).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { FACES_DIR } from '../../helpers/shared-faces.js';

export interface Api {
  readonly url: string;
  rest<T = unknown>(method: string, route: string, body?: unknown): Promise<{ status: number; body: T; headers: Headers }>;
  gql<T = unknown>(query: string, variables?: Record<string, unknown>): Promise<{ data?: T; errors?: { message: string }[] }>;
}

export function api(url: string, key: string): Api {
  return {
    url,
    async rest(method, route, body) {
      const res = await fetch(`${url}${route}`, {
        method,
        headers: { authorization: `Bearer ${key}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
      const text = await res.text();
      let parsed: unknown = text;
      try {
        parsed = JSON.parse(text);
      } catch {
        // not JSON (e.g. /metrics)
      }
      return { status: res.status, body: parsed as never, headers: res.headers };
    },
    async gql(query, variables = {}) {
      const res = await fetch(`${url}/graphql`, {
        method: 'POST',
        headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
        body: JSON.stringify({ query, variables }),
      });
      return (await res.json()) as never;
    },
  };
}

export const photoBase64 = (relative: string): string => readFileSync(join(FACES_DIR, relative)).toString('base64');

/** Polls `check` every `everyMs` until it returns a value other than undefined, or fails after `timeoutMs`. */
export async function waitFor<T>(what: string, check: () => Promise<T | undefined>, timeoutMs: number, everyMs = 200): Promise<T> {
  const until = Date.now() + timeoutMs;
  let last: Error | undefined;
  for (;;) {
    try {
      const value = await check();
      if (value !== undefined) {
        return value;
      }
    } catch (error) {
      last = error instanceof Error ? error : new Error(JSON.stringify(error));
    }
    if (Date.now() > until) {
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${last ? `: ${last.message}` : ''}`);
    }
    await new Promise((r) => setTimeout(r, everyMs));
  }
}

/** Creates an employee and enrolls them from their shared photos; returns the id. */
export async function enrollFromPhotos(a: Api, code: string, fullName: string, photos: string[]): Promise<number> {
  const created = await a.rest<{ id: number }>('POST', '/api/v1/employees', { employee_code: code, full_name: fullName });
  if (created.status !== 201) {
    throw new Error(`create employee: ${created.status} ${JSON.stringify(created.body)}`);
  }
  const enrolled = await a.rest('POST', `/api/v1/employees/${created.body.id}/photos`, { photos: photos.map(photoBase64) });
  if (enrolled.status !== 200 && enrolled.status !== 201) {
    throw new Error(`enroll photos: ${enrolled.status} ${JSON.stringify(enrolled.body)}`);
  }
  return created.body.id;
}
