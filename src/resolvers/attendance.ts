// GraphQL resolvers of attendance: logs, today, statistics, check-in status,
// CSV, admin corrections and the attendanceLogged subscription. Shapes live in
// src/schema/attendance.ts and src/schema/attendance-corrections.ts.
import { filter, pipe } from 'graphql-yoga';
import type { AttendanceLoggedEvent } from '../attendance/events.js';
import type { CheckInStatus, LogPage } from '../attendance/queries.js';
import type { AttendanceStats } from '../attendance/stats.js';
import type { AttendanceLogRecord } from '../attendance/types.js';
import { actorOf } from '../auth/caller.js';
import type { RequestContext } from '../context.js';
import { clearLoaders } from '../loaders.js';

type Maybe<T> = T | null | undefined;
const keep = <T>(value: Maybe<T>): T | undefined => value ?? undefined;

interface PageArgs {
  skip?: Maybe<number>;
  take?: Maybe<number>;
}

interface LogFilterArgs {
  employeeId?: Maybe<number>;
  cameraId?: Maybe<number>;
  method?: Maybe<'svm' | 'cosine' | 'manual'>;
  eventType?: Maybe<'check_in' | 'check_out' | 'seen'>;
  from?: Maybe<string>;
  to?: Maybe<string>;
  includeVoided?: Maybe<boolean>;
}

const page = (args: PageArgs) => ({ skip: keep(args.skip), limit: keep(args.take) });

export const attendanceResolvers = {
  attendanceLogs: ({ filter: f, ...rest }: PageArgs & { filter?: Maybe<LogFilterArgs> }, ctx: RequestContext): Promise<LogPage> =>
    ctx.services.attendance.listLogs(
      {
        employeeId: keep(f?.employeeId),
        cameraId: keep(f?.cameraId),
        method: keep(f?.method),
        eventType: keep(f?.eventType),
        from: keep(f?.from),
        to: keep(f?.to),
        includeVoided: keep(f?.includeVoided),
      },
      page(rest),
    ),

  attendanceToday: (args: PageArgs, ctx: RequestContext): Promise<LogPage> => ctx.services.attendance.todayLogs(page(args)),

  attendanceStats: ({ from, to }: { from?: Maybe<string>; to?: Maybe<string> }, ctx: RequestContext): Promise<AttendanceStats> =>
    ctx.services.attendance.stats({ ...(from != null && { from }), ...(to != null && { to }) }),

  checkInStatus: (args: { employeeId: number }, ctx: RequestContext): Promise<CheckInStatus> =>
    ctx.services.attendance.checkInStatus(args.employeeId),

  attendanceCsv: (
    args: { from: string; to: string; employeeId?: Maybe<number>; includeVoided?: Maybe<boolean> },
    ctx: RequestContext,
  ): Promise<string> =>
    ctx.services.attendance.exportCsv({ from: args.from, to: args.to, employeeId: keep(args.employeeId), includeVoided: keep(args.includeVoided) }),

  addAttendanceLog: (
    { input }: { input: { employeeId: number; at: Date; cameraId?: Maybe<number>; reason: string } },
    ctx: RequestContext,
  ): Promise<AttendanceLogRecord> =>
    ctx.services.attendance.addLog({
      employeeId: input.employeeId,
      at: input.at,
      cameraId: input.cameraId ?? null,
      reason: input.reason,
      actor: actorOf(ctx.caller),
    }),

  editAttendanceLog: (
    { id, input }: { id: number; input: { at?: Maybe<Date>; cameraId?: Maybe<number>; reason: string } },
    ctx: RequestContext,
  ): Promise<AttendanceLogRecord> =>
    ctx.services.attendance.editLog({
      logId: id,
      ...(input.at != null && { at: input.at }),
      // null clears the camera; omitted keeps it.
      ...(input.cameraId !== undefined && { cameraId: input.cameraId }),
      reason: input.reason,
      actor: actorOf(ctx.caller),
    }),

  voidAttendanceLog: ({ id, reason }: { id: number; reason: string }, ctx: RequestContext): Promise<AttendanceLogRecord> =>
    ctx.services.attendance.voidLog({ logId: id, reason, actor: actorOf(ctx.caller) }),

  attendanceLogged: (args: { employeeId?: Maybe<number>; cameraId?: Maybe<number> }, ctx: RequestContext): AsyncIterable<AttendanceLoggedEvent> =>
    pipe(
      ctx.pubsub.subscribe('attendanceLogged'),
      filter(
        (e) => (args.employeeId == null || e.employeeId === args.employeeId) && (args.cameraId == null || e.cameraId === args.cameraId),
      ),
    ),

  /** One context lives as long as the subscription: cached rows are dropped per event. */
  attendanceLoggedEvent: (event: AttendanceLoggedEvent, ctx: RequestContext): AttendanceLoggedEvent => {
    clearLoaders(ctx.loaders);
    return event;
  },
};
