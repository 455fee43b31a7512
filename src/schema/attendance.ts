// Attendance types, queries and the attendanceLogged subscription, resolved by
// src/resolvers/attendance.ts; the employee of each log comes from the
// per-request DataLoader, so a page of logs costs one employee query.
import type { AttendanceLoggedEvent } from '../attendance/events.js';
import type { CheckInStatus, LogPage } from '../attendance/queries.js';
import type { AttendanceStats, DayStats } from '../attendance/stats.js';
import type { AttendanceLogRecord } from '../attendance/types.js';
import { EmployeeNotFoundError, ValidationError } from '../domain/errors.js';
import { attendanceResolvers as r } from '../resolvers/attendance.js';
import { builder } from './builder.js';
import { EmployeeRef } from './employee.js';

export const AttendanceEventTypeEnum = builder.enumType('AttendanceEventType', {
  description: 'check_in: first log of the local day; check_out: the latest, when checkout tracking is on; seen: others.',
  values: ['check_in', 'check_out', 'seen'] as const,
});

export const AttendanceMethodEnum = builder.enumType('AttendanceMethod', {
  values: ['svm', 'cosine', 'manual'] as const,
});

export const AttendanceLogRef = builder.objectRef<AttendanceLogRecord>('AttendanceLog').implement({
  fields: (t) => ({
    id: t.exposeInt('id'),
    eventId: t.exposeString('eventId'),
    employeeId: t.exposeInt('employeeId'),
    employee: t.field({
      type: EmployeeRef,
      nullable: true,
      resolve: (log, _args, ctx) => ctx.loaders.employeeById.load(log.employeeId),
    }),
    cameraId: t.exposeInt('cameraId', { nullable: true }),
    checkInTime: t.expose('checkInTime', { type: 'DateTime' }),
    localDate: t.exposeString('localDate', { description: 'YYYY-MM-DD in the configured TIMEZONE.' }),
    eventType: t.field({ type: AttendanceEventTypeEnum, resolve: (log) => log.eventType }),
    confidenceScore: t.exposeFloat('confidenceScore'),
    recognitionMethod: t.field({ type: AttendanceMethodEnum, resolve: (log) => log.recognitionMethod }),
    hasSnapshot: t.boolean({ resolve: (log) => log.snapshotPath !== null }),
    voidedAt: t.expose('voidedAt', { type: 'DateTime', nullable: true }),
    voidReason: t.exposeString('voidReason', { nullable: true }),
  }),
});

const AttendanceLogPageRef = builder.objectRef<LogPage>('AttendanceLogPage').implement({
  fields: (t) => ({
    items: t.field({ type: [AttendanceLogRef], resolve: (p) => p.items }),
    totalCount: t.exposeInt('total'),
    skip: t.exposeInt('skip'),
    take: t.exposeInt('limit'),
  }),
});

const AttendanceLogFilterInput = builder.inputType('AttendanceLogFilter', {
  fields: (t) => ({
    employeeId: t.int(),
    cameraId: t.int(),
    method: t.field({ type: AttendanceMethodEnum }),
    eventType: t.field({ type: AttendanceEventTypeEnum }),
    from: t.string({ description: 'First local date (YYYY-MM-DD), inclusive.' }),
    to: t.string({ description: 'Last local date (YYYY-MM-DD), inclusive.' }),
    includeVoided: t.boolean(),
  }),
});

const CheckInStatusRef = builder.objectRef<CheckInStatus>('CheckInStatus').implement({
  fields: (t) => ({
    employeeId: t.exposeInt('employeeId'),
    date: t.exposeString('date'),
    checkedIn: t.exposeBoolean('checkedIn'),
    checkInTime: t.expose('checkInTime', { type: 'DateTime', nullable: true }),
    checkOutTime: t.expose('checkOutTime', { type: 'DateTime', nullable: true }),
    lastSeenTime: t.expose('lastSeenTime', { type: 'DateTime', nullable: true }),
    logCount: t.exposeInt('logCount'),
  }),
});

const DayStatsRef = builder.objectRef<DayStats>('AttendanceDayStats').implement({
  fields: (t) => ({
    date: t.exposeString('date'),
    present: t.exposeInt('present'),
    logs: t.exposeInt('logs'),
    attendanceRate: t.exposeFloat('attendanceRate'),
    late: t.exposeInt('late', { nullable: true }),
  }),
});

const StatsRef = builder.objectRef<AttendanceStats>('AttendanceStats').implement({
  fields: (t) => ({
    totalEmployees: t.exposeInt('totalEmployees'),
    today: t.exposeString('today'),
    presentToday: t.exposeInt('presentToday'),
    absentToday: t.exposeInt('absentToday'),
    attendanceRate: t.exposeFloat('attendanceRate', { description: 'presentToday / totalEmployees (0..1).' }),
    lateToday: t.exposeInt('lateToday', { nullable: true }),
    from: t.exposeString('from'),
    to: t.exposeString('to'),
    days: t.field({ type: [DayStatsRef], resolve: (s) => s.days }),
    averageConfidence: t.exposeFloat('averageConfidence', { nullable: true }),
    lateArrivals: t.exposeInt('lateArrivals', { nullable: true }),
    totalLogs: t.exposeInt('totalLogs'),
  }),
});

const AttendanceLoggedEventRef = builder.objectRef<AttendanceLoggedEvent>('AttendanceLoggedEvent').implement({
  fields: (t) => ({
    logId: t.exposeInt('logId'),
    employeeId: t.exposeInt('employeeId'),
    employee: t.field({
      type: EmployeeRef,
      nullable: true,
      resolve: (e, _args, ctx) => ctx.loaders.employeeById.load(e.employeeId),
    }),
    cameraId: t.exposeInt('cameraId', { nullable: true }),
    eventType: t.field({ type: AttendanceEventTypeEnum, resolve: (e) => e.eventType }),
    checkInTime: t.field({ type: 'DateTime', resolve: (e) => e.checkInTime }),
    localDate: t.exposeString('localDate'),
    confidenceScore: t.exposeFloat('confidenceScore'),
    recognitionMethod: t.field({ type: AttendanceMethodEnum, resolve: (e) => e.recognitionMethod }),
  }),
});

builder.queryFields((t) => ({
  attendanceLogs: t.field({
    type: AttendanceLogPageRef,
    description: 'Logs, newest first; voided ones only with includeVoided.',
    authScopes: { permission: 'attendance:read' },
    errors: { types: [ValidationError], directResult: true },
    args: { filter: t.arg({ type: AttendanceLogFilterInput }), skip: t.arg.int(), take: t.arg.int() },
    resolve: (_root, args, ctx) => r.attendanceLogs(args, ctx),
  }),
  attendanceToday: t.field({
    type: AttendanceLogPageRef,
    description: "Today's logs in the configured time zone.",
    authScopes: { permission: 'attendance:read' },
    args: { skip: t.arg.int(), take: t.arg.int() },
    resolve: (_root, args, ctx) => r.attendanceToday(args, ctx),
  }),
  attendanceStats: t.field({
    type: StatsRef,
    description: 'Defaults to the last 7 local days up to today.',
    authScopes: { permission: 'attendance:read' },
    errors: { types: [ValidationError], directResult: true },
    args: { from: t.arg.string(), to: t.arg.string() },
    resolve: (_root, args, ctx) => r.attendanceStats(args, ctx),
  }),
  checkInStatus: t.field({
    type: CheckInStatusRef,
    authScopes: { permission: 'attendance:read' },
    errors: { types: [EmployeeNotFoundError], directResult: true },
    args: { employeeId: t.arg.int({ required: true }) },
    resolve: (_root, args, ctx) => r.checkInStatus(args, ctx),
  }),
  attendanceCsv: t.field({
    type: 'String',
    description: 'CSV of the range (times in the configured time zone), as REST /attendance/export.',
    authScopes: { permission: 'attendance:read' },
    errors: { types: [ValidationError] },
    args: {
      from: t.arg.string({ required: true }),
      to: t.arg.string({ required: true }),
      employeeId: t.arg.int(),
      includeVoided: t.arg.boolean(),
    },
    resolve: (_root, args, ctx) => r.attendanceCsv(args, ctx),
  }),
}));

builder.subscriptionFields((t) => ({
  attendanceLogged: t.field({
    type: AttendanceLoggedEventRef,
    description: 'Every new attendance log; filter by employee or camera.',
    authScopes: { permission: 'attendance:read' },
    args: { employeeId: t.arg.int(), cameraId: t.arg.int() },
    subscribe: (_root, args, ctx) => r.attendanceLogged(args, ctx),
    resolve: (event, _args, ctx) => r.attendanceLoggedEvent(event, ctx),
  }),
}));
