// GET /api/v1/attendance/audit: the audit trail of attendance corrections
// (add, edit, void), newest first, optionally for one log. Admins only, like
// the corrections themselves: entries name who made them.
import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { AppContext } from '../context.js';
import { errorResponses, isoDate } from './common.js';

const entryJson = z.object({
  id: z.number().int(),
  log_id: z.number().int(),
  actor: z.string().describe('api-key:<id>:<name>'),
  action: z.string().describe('attendance.add | attendance.edit | attendance.void'),
  reason: z.string().nullable(),
  before: z.unknown().describe('The log before the change (null when added)'),
  after: z.unknown().describe('The log after the change'),
  at: z.string(),
});

export const attendanceAuditRoutes: FastifyPluginAsyncZod<{ deps: AppContext }> = async (app, { deps }) => {
  app.get('/attendance/audit', {
    config: { auth: 'attendance:correct' },
    schema: {
      tags: ['attendance'],
      summary: 'Audit trail of attendance corrections, newest first (admin)',
      querystring: z.object({
        log_id: z.coerce.number().int().positive().optional(),
        skip: z.coerce.number().int().min(0).default(0),
        limit: z.coerce.number().int().min(1).max(500).default(50),
      }),
      response: { 200: z.array(entryJson), ...errorResponses(401, 403, 422) },
    },
    handler: async (request, reply) => {
      const q = request.query;
      const trail = await deps.services.attendance.auditTrail({ logId: q.log_id, skip: q.skip, take: q.limit });
      void reply.header('x-total-count', String(trail.totalCount));
      return trail.items.map((e) => ({
        id: e.id,
        log_id: e.logId,
        actor: e.actor,
        action: e.action,
        reason: e.reason,
        before: e.before ?? null,
        after: e.after ?? null,
        at: isoDate(e.at),
      }));
    },
  });
};
