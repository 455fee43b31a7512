// Admin corrections of attendance logs: add, edit, void, each with a reason
// and an audit entry (before/after). Resolved by src/resolvers/attendance.ts.
import { ConflictError, EmployeeNotFoundError, NotFoundError, ValidationError } from '../domain/errors.js';
import { attendanceResolvers as r } from '../resolvers/attendance.js';
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
    resolve: (_root, args, ctx) => r.addAttendanceLog(args, ctx),
  }),
  editAttendanceLog: t.field({
    type: AttendanceLogRef,
    authScopes: { permission: 'attendance:correct' },
    errors: { types: [NotFoundError, ConflictError, ValidationError], directResult: true },
    args: { id: t.arg.int({ required: true }), input: t.arg({ type: EditAttendanceLogInput, required: true }) },
    resolve: (_root, args, ctx) => r.editAttendanceLog(args, ctx),
  }),
  voidAttendanceLog: t.field({
    type: AttendanceLogRef,
    description: 'The log stays for history but leaves lists, statistics and the dedupe window.',
    authScopes: { permission: 'attendance:correct' },
    errors: { types: [NotFoundError, ConflictError, ValidationError], directResult: true },
    args: { id: t.arg.int({ required: true }), reason: t.arg.string({ required: true }) },
    resolve: (_root, args, ctx) => r.voidAttendanceLog(args, ctx),
  }),
}));
