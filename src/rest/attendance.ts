// Attendance REST shims with the replaced service's paths and snake_case
// fields, plus CSV export and admin corrections. They call the same service as
// GraphQL (src/services/attendance-service.ts).
import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { toZonedIso } from '../attendance/local-time.js';
import type { CheckInStatus, LogFilter, LogPage } from '../attendance/queries.js';
import { MAX_PAGE_SIZE } from '../attendance/queries.js';
import type { AttendanceStats } from '../attendance/stats.js';
import type { AttendanceLogRecord } from '../attendance/types.js';
import { actorOf } from '../auth/caller.js';
import type { AppContext } from '../context.js';
import { requireCaller } from '../http/route-auth.js';
import { errorResponses, idParams, isoDate, isoDateOrNull } from './common.js';

const logJson = z
  .object({
    id: z.number().int(),
    event_id: z.string(),
    employee_id: z.number().int(),
    employee_code: z.string().nullable(),
    employee_name: z.string().nullable(),
    camera_id: z.number().int().nullable(),
    check_in_time: z.string().describe('UTC, ISO-8601'),
    check_in_time_local: z.string().describe('ISO-8601 with the configured time zone offset'),
    local_date: z.string(),
    event_type: z.enum(['check_in', 'check_out', 'seen']),
    confidence_score: z.number(),
    recognition_method: z.enum(['svm', 'cosine', 'manual']),
    has_snapshot: z.boolean(),
    voided_at: z.string().nullable(),
    void_reason: z.string().nullable(),
  })
  .describe('AttendanceLog');

const date = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'must be YYYY-MM-DD');
const pageQuery = {
  skip: z.coerce.number().int().min(0).optional(),
  limit: z.coerce.number().int().min(1).max(MAX_PAGE_SIZE).optional(),
};
const rangeQuery = {
  start_date: date.optional().describe('First local date, inclusive'),
  end_date: date.optional().describe('Last local date, inclusive'),
};
const logsQuery = z.object({
  ...pageQuery,
  ...rangeQuery,
  employee_id: z.coerce.number().int().positive().optional(),
  camera_id: z.coerce.number().int().positive().optional(),
  method: z.enum(['svm', 'cosine', 'manual']).optional(),
  event_type: z.enum(['check_in', 'check_out', 'seen']).optional(),
  include_voided: z.enum(['true', 'false']).optional(),
});

const statsJson = z.object({
  total_employees: z.number().int(),
  date: z.string(),
  present_today: z.number().int(),
  absent_today: z.number().int(),
  attendance_rate: z.number().describe('present_today / total_employees, 0..1'),
  late_today: z.number().int().nullable(),
  start_date: z.string(),
  end_date: z.string(),
  daily: z.array(
    z.object({
      date: z.string(),
      present: z.number().int(),
      logs: z.number().int(),
      attendance_rate: z.number(),
      late: z.number().int().nullable(),
    }),
  ),
  average_confidence: z.number().nullable(),
  late_arrivals: z.number().int().nullable(),
  total_logs: z.number().int(),
});

const statusJson = z.object({
  employee_id: z.number().int(),
  date: z.string(),
  checked_in: z.boolean(),
  check_in_time: z.string().nullable(),
  check_out_time: z.string().nullable(),
  last_seen_time: z.string().nullable(),
  log_count: z.number().int(),
});

const addBody = z.object({
  employee_id: z.number().int().positive(),
  check_in_time: z.iso.datetime({ offset: true }),
  camera_id: z.number().int().positive().nullable().optional(),
  reason: z.string().min(1).max(512),
});
const editBody = z.object({
  check_in_time: z.iso.datetime({ offset: true }).optional(),
  camera_id: z.number().int().positive().nullable().optional(),
  reason: z.string().min(1).max(512),
});
const voidBody = z.object({ reason: z.string().min(1).max(512) });

async function logsToJson(deps: AppContext, logs: AttendanceLogRecord[]): Promise<z.output<typeof logJson>[]> {
  const loaders = deps.newLoaders();
  const tz = deps.config.TIMEZONE;
  return Promise.all(
    logs.map(async (l) => {
      const employee = await loaders.employeeById.load(l.employeeId);
      return {
        id: l.id,
        event_id: l.eventId,
        employee_id: l.employeeId,
        employee_code: employee?.employeeCode ?? null,
        employee_name: employee?.fullName ?? null,
        camera_id: l.cameraId,
        check_in_time: isoDate(l.checkInTime),
        check_in_time_local: toZonedIso(l.checkInTime, tz),
        local_date: l.localDate,
        event_type: l.eventType,
        confidence_score: l.confidenceScore,
        recognition_method: l.recognitionMethod,
        has_snapshot: l.snapshotPath !== null,
        voided_at: isoDateOrNull(l.voidedAt),
        void_reason: l.voidReason,
      };
    }),
  );
}

async function oneLogJson(deps: AppContext, log: AttendanceLogRecord): Promise<z.output<typeof logJson>> {
  const [json] = await logsToJson(deps, [log]);
  if (json === undefined) {
    throw new Error('unreachable: one log in, one out');
  }
  return json;
}

function statsToJson(s: AttendanceStats): z.output<typeof statsJson> {
  return {
    total_employees: s.totalEmployees,
    date: s.today,
    present_today: s.presentToday,
    absent_today: s.absentToday,
    attendance_rate: s.attendanceRate,
    late_today: s.lateToday,
    start_date: s.from,
    end_date: s.to,
    daily: s.days.map((d) => ({ date: d.date, present: d.present, logs: d.logs, attendance_rate: d.attendanceRate, late: d.late })),
    average_confidence: s.averageConfidence,
    late_arrivals: s.lateArrivals,
    total_logs: s.totalLogs,
  };
}

function statusToJson(s: CheckInStatus): z.output<typeof statusJson> {
  return {
    employee_id: s.employeeId,
    date: s.date,
    checked_in: s.checkedIn,
    check_in_time: isoDateOrNull(s.checkInTime),
    check_out_time: isoDateOrNull(s.checkOutTime),
    last_seen_time: isoDateOrNull(s.lastSeenTime),
    log_count: s.logCount,
  };
}

function filterOf(q: z.output<typeof logsQuery>): LogFilter {
  return {
    employeeId: q.employee_id,
    cameraId: q.camera_id,
    method: q.method,
    eventType: q.event_type,
    from: q.start_date,
    to: q.end_date,
    includeVoided: q.include_voided === 'true',
  };
}

export const attendanceRoutes: FastifyPluginAsyncZod<{ deps: AppContext }> = async (app, { deps }) => {
  const service = () => deps.services.attendance;
  const sendPage = async (page: LogPage, reply: { header(k: string, v: string): unknown }) => {
    reply.header('x-total-count', String(page.total));
    return logsToJson(deps, page.items);
  };
  const listResponse = { 200: z.array(logJson), ...errorResponses(401, 403, 422) };
  const tags = ['attendance'];

  app.get('/attendance/logs', {
    config: { auth: 'attendance:read' },
    schema: { tags, summary: 'Attendance logs, newest first; total in X-Total-Count', querystring: logsQuery, response: listResponse },
    handler: async (request, reply) =>
      sendPage(await service().listLogs(filterOf(request.query), { skip: request.query.skip, limit: request.query.limit }), reply),
  });

  app.get('/attendance/today', {
    config: { auth: 'attendance:read' },
    schema: { tags, summary: "Today's logs (configured time zone)", querystring: z.object(pageQuery), response: listResponse },
    handler: async (request, reply) => sendPage(await service().todayLogs(request.query), reply),
  });

  app.get('/attendance/stats', {
    config: { auth: 'attendance:read' },
    schema: {
      tags,
      summary: 'Attendance statistics; default range the last 7 local days',
      querystring: z.object(rangeQuery),
      response: { 200: statsJson, ...errorResponses(401, 403, 422) },
    },
    handler: async (request) =>
      statsToJson(
        await service().stats({
          ...(request.query.start_date !== undefined && { from: request.query.start_date }),
          ...(request.query.end_date !== undefined && { to: request.query.end_date }),
        }),
      ),
  });

  app.get('/attendance/employee/:id', {
    config: { auth: 'attendance:read' },
    schema: {
      tags,
      summary: "One employee's logs, newest first",
      params: idParams,
      querystring: logsQuery.omit({ employee_id: true }),
      response: { 200: z.array(logJson), ...errorResponses(401, 403, 404, 422) },
    },
    handler: async (request, reply) =>
      sendPage(
        await service().employeeLogs(request.params.id, filterOf(request.query), {
          skip: request.query.skip,
          limit: request.query.limit,
        }),
        reply,
      ),
  });

  app.get('/attendance/check-in-status/:id', {
    config: { auth: 'attendance:read' },
    schema: {
      tags,
      summary: 'Whether the employee has checked in today',
      params: idParams,
      response: { 200: statusJson, ...errorResponses(401, 403, 404, 422) },
    },
    handler: async (request) => statusToJson(await service().checkInStatus(request.params.id)),
  });

  app.get('/attendance/export', {
    config: { auth: 'attendance:read' },
    schema: {
      tags,
      summary: 'CSV download of the range (times in the configured time zone)',
      querystring: z.object({
        start_date: date,
        end_date: date,
        employee_id: z.coerce.number().int().positive().optional(),
        include_voided: z.enum(['true', 'false']).optional(),
      }),
      response: { 200: z.string().describe('text/csv'), ...errorResponses(401, 403, 422) },
    },
    handler: async (request, reply) => {
      const q = request.query;
      const csv = await service().exportCsv({
        from: q.start_date,
        to: q.end_date,
        employeeId: q.employee_id,
        includeVoided: q.include_voided === 'true',
      });
      return reply
        .header('content-type', 'text/csv; charset=utf-8')
        .header('content-disposition', `attachment; filename="attendance_${q.start_date}_${q.end_date}.csv"`)
        .send(csv);
    },
  });

  app.post('/attendance/logs', {
    config: { auth: 'attendance:correct' },
    schema: {
      tags,
      summary: 'Add a manual log (admin), with a reason; audited',
      body: addBody,
      response: { 201: logJson, ...errorResponses(401, 403, 404, 422) },
    },
    handler: async (request, reply) => {
      const b = request.body;
      const log = await service().addLog({
        employeeId: b.employee_id,
        at: new Date(b.check_in_time),
        cameraId: b.camera_id ?? null,
        reason: b.reason,
        actor: actorOf(requireCaller(request)),
      });
      return reply.status(201).send(await oneLogJson(deps, log));
    },
  });

  app.patch('/attendance/logs/:id', {
    config: { auth: 'attendance:correct' },
    schema: {
      tags,
      summary: 'Edit a log (admin), with a reason; audited',
      params: idParams,
      body: editBody,
      response: { 200: logJson, ...errorResponses(401, 403, 404, 409, 422) },
    },
    handler: async (request) => {
      const b = request.body;
      const log = await service().editLog({
        logId: request.params.id,
        ...(b.check_in_time !== undefined && { at: new Date(b.check_in_time) }),
        ...(b.camera_id !== undefined && { cameraId: b.camera_id }),
        reason: b.reason,
        actor: actorOf(requireCaller(request)),
      });
      return oneLogJson(deps, log);
    },
  });

  app.post('/attendance/logs/:id/void', {
    config: { auth: 'attendance:correct' },
    schema: {
      tags,
      summary: 'Void a log (admin), with a reason; it leaves statistics; audited',
      params: idParams,
      body: voidBody,
      response: { 200: logJson, ...errorResponses(401, 403, 404, 409, 422) },
    },
    handler: async (request) => {
      const log = await service().voidLog({
        logId: request.params.id,
        reason: request.body.reason,
        actor: actorOf(requireCaller(request)),
      });
      return oneLogJson(deps, log);
    },
  });
};
