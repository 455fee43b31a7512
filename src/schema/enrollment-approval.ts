// approveEnrollment: makes a kiosk-started enrollment recognizable (operator+).
import { builder } from './builder.js';
import { EmployeeRef } from './employee.js';
import { ConflictError, EmployeeNotFoundError } from '../domain/errors.js';
import { approvalResolvers as r } from '../resolvers/enrollment-approval.js';

builder.mutationFields((t) => ({
  approveEnrollment: t.field({
    type: EmployeeRef,
    description:
      'Approves an employee enrolled at a kiosk (ENROLLMENT_APPROVAL): recognized from now on. Reject one by deactivating or erasing it.',
    authScopes: { permission: 'enrollment:write' },
    errors: { types: [EmployeeNotFoundError, ConflictError], directResult: true },
    args: { employeeId: t.arg.int({ required: true }) },
    resolve: (_root, args, ctx) => r.approveEnrollment(args, ctx),
  }),
}));
