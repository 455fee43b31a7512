// GraphQL resolver of approveEnrollment; the service is src/services/approval-service.ts.
import type { Employee } from '../generated/prisma/client.js';
import type { RequestContext } from '../context.js';

export const approvalResolvers = {
  approveEnrollment: (args: { employeeId: number }, ctx: RequestContext): Promise<Employee> =>
    ctx.services.approvals.approve(ctx.caller, args.employeeId),
};
