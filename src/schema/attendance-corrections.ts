// Admin corrections of attendance logs: add, edit, void, each with a reason
// and an audit entry (before/after). Calls src/resolvers/attendance.ts.
import { actorOf } from '../auth/caller.js';
import { ConflictError, EmployeeNotFoundError, NotFoundError, ValidationError } from '../domain/errors.js';
import { attendanceServiceFor } from '../services/attendance-service.js';
import { AttendanceLogRef } from './attendance.js';
import { builder } from './builder.js';

const AddAttendanceLogInput = builder.inputType('AddAttendanceLogInput', {
  fields: (t) => ({
    employeeId: t.int({ required: true }),
    at: t.field({ type: 'DateTime', required: true }),
    cameraId: t.int(),
    reason: t.string({ required: true }),
  }),
});

const EditAttendanceLogInput = builder.inputType('EditAttendanceLogInput', {
  description: 'Omitted fields stay; cameraId null clears the camera.',
  fields: (t) => ({
    at: t.field({ type: 'DateTime' }),
    cameraId: t.int(),
    reason: t.string({ required: true }),
  }),
});

builder.mutationFields((t) => ({
  addAttendanceLog: t.field({
    type: AttendanceLogRef,
    description: 'A manual log (method manual); skips the dedupe window.',
    authScopes: { permission: 'attendance:correct' },
    errors: { types: [EmployeeNotFoundError, NotFoundError, ValidationError], directResult: true },
    args: { input: t.arg({ type: AddAttendanceLogInput, required: true }) },
    resolve: (_root, { input }, ctx) =>
      attendanceServiceFor(ctx.deps).addLog({
        employeeId: input.employeeId,
        at: input.at,
        cameraId: input.cameraId ?? null,
        reason: input.reason,
        actor: actorOf(ctx.caller),
      }),
  }),
  editAttendanceLog: t.field({
    type: AttendanceLogRef,
    authScopes: { permission: 'attendance:correct' },
    errors: { types: [NotFoundError, ConflictError, ValidationError], directResult: true },
    args: { id: t.arg.int({ required: true }), input: t.arg({ type: EditAttendanceLogInput, required: true }) },
    resolve: (_root, { id, input }, ctx) =>
      attendanceServiceFor(ctx.deps).editLog({
        logId: id,
        ...(input.at != null && { at: input.at }),
        ...(input.cameraId !== undefined && { cameraId: input.cameraId }),
        reason: input.reason,
        actor: actorOf(ctx.caller),
      }),
  }),
  voidAttendanceLog: t.field({
    type: AttendanceLogRef,
    description: 'The log stays for history but leaves lists, statistics and the dedupe window.',
    authScopes: { permission: 'attendance:correct' },
    errors: { types: [NotFoundError, ConflictError, ValidationError], directResult: true },
    args: { id: t.arg.int({ required: true }), reason: t.arg.string({ required: true }) },
    resolve: (_root, { id, reason }, ctx) =>
      attendanceServiceFor(ctx.deps).voidLog({ logId: id, reason, actor: actorOf(ctx.caller) }),
  }),
}));
