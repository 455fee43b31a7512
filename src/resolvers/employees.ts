// GraphQL resolvers of the employee domain: arguments and context in, one call
// of the employee service, its result out. Shapes live in src/schema/employee.ts.
import { filter, pipe } from 'graphql-yoga';
import type { Employee } from '../generated/prisma/client.js';
import type { RequestContext } from '../context.js';
import type { EmployeeChangedEvent } from '../employees/events.js';
import { clearLoaders } from '../loaders.js';
import type { EmployeePage } from '../services/employee-service.js';

type Maybe<T> = T | null | undefined;

export interface EmployeeInputArgs {
  employeeCode?: Maybe<string>;
  fullName?: Maybe<string>;
  email?: Maybe<string>;
  department?: Maybe<string>;
  isActive?: Maybe<boolean>;
}

export const employeeResolvers = {
  employee: (args: { id: number }, ctx: RequestContext): Promise<Employee> => ctx.services.employees.get(args.id),

  employees: (
    args: { filter?: Maybe<{ department?: Maybe<string>; isActive?: Maybe<boolean>; search?: Maybe<string> }>; skip?: Maybe<number>; take?: Maybe<number> },
    ctx: RequestContext,
  ): Promise<EmployeePage> => ctx.services.employees.list({ filter: args.filter ?? {}, skip: args.skip, take: args.take }),

  createEmployee: (args: { input: EmployeeInputArgs & { employeeCode: string; fullName: string } }, ctx: RequestContext): Promise<Employee> =>
    ctx.services.employees.create(ctx.caller, { ...args.input, isActive: args.input.isActive ?? undefined }),

  updateEmployee: ({ id, input }: { id: number; input: EmployeeInputArgs }, ctx: RequestContext): Promise<Employee> =>
    ctx.services.employees.update(ctx.caller, id, {
      // null on a required column means "leave it", as if omitted.
      employeeCode: input.employeeCode ?? undefined,
      fullName: input.fullName ?? undefined,
      isActive: input.isActive ?? undefined,
      email: input.email,
      department: input.department,
    }),

  deactivateEmployee: (args: { id: number }, ctx: RequestContext): Promise<Employee> => ctx.services.employees.deactivate(ctx.caller, args.id),

  eraseEmployee: (args: { id: number; reason?: Maybe<string> }, ctx: RequestContext): Promise<Employee> =>
    // Every trace of the face, not only the row (src/services/erasure-service.ts).
    ctx.services.erasure.erase(ctx.caller, args.id, args.reason),

  /** Every change, or one person's. */
  employeeChanged: (args: { employeeId?: Maybe<number> }, ctx: RequestContext): AsyncIterable<EmployeeChangedEvent> =>
    pipe(
      ctx.pubsub.subscribe('employeeChanged'),
      filter((event) => args.employeeId == null || event.employeeId === args.employeeId),
    ),

  /** One context lives as long as the subscription: cached rows are dropped per event. */
  employeeChangedEvent: (event: EmployeeChangedEvent, ctx: RequestContext): EmployeeChangedEvent => {
    clearLoaders(ctx.loaders);
    return event;
  },
};
