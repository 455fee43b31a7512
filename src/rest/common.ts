// Shared pieces of the REST routes: the error body and the documented error
// responses, so each route file only describes its own data.
import { z } from 'zod';

export const detailBody = z
  .object({
    detail: z.union([
      z.string(),
      z.array(z.object({ loc: z.array(z.union([z.string(), z.number()])), msg: z.string(), type: z.string() })),
    ]),
  })
  .describe('Error body, as the replaced FastAPI service sent it');

type ErrorStatus = 400 | 401 | 403 | 404 | 409 | 410 | 413 | 422 | 429 | 503;

/** `response: { 200: X, ...errorResponses(401, 403, 404) }` */
export function errorResponses<S extends ErrorStatus>(...statuses: S[]): Record<S, typeof detailBody> {
  return Object.fromEntries(statuses.map((s) => [s, detailBody])) as Record<S, typeof detailBody>;
}

/** Positive integer path id (`/employees/{id}`). */
export const idParams = z.object({ id: z.coerce.number().int().positive() });

export const isoDate = (d: Date): string => d.toISOString();
export const isoDateOrNull = (d: Date | null): string | null => (d === null ? null : d.toISOString());
