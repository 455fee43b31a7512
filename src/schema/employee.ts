// Employee type, its queries, mutations and the employeeChanged subscription.
// Fields are declared here; src/resolvers/employees.ts resolves them.
import type { Employee } from '../generated/prisma/client.js';
import { builder } from './builder.js';
import type { EmployeePage } from '../services/employee-service.js';
import type { EmployeeChangedEvent } from '../employees/events.js';
import { employeeResolvers as r } from '../resolvers/employees.js';
import {
  ConflictError,
  DuplicateEmployeeCodeError,
  EmployeeNotFoundError,
  ValidationError,
} from '../domain/errors.js';

// Least privilege per field: whoever reaches an Employee (a kiosk through its own
// enrollment, say) sees who it is (id, code, name); everything else about the
// person needs employees:read.
const personal = { authScopes: { permission: 'employees:read' as const } };

export const EmployeeRef = builder.objectRef<Employee>('Employee').implement({
  fields: (t) => ({
    id: t.exposeInt('id'),
    employeeCode: t.exposeString('employeeCode'),
    fullName: t.exposeString('fullName'),
    email: t.exposeString('email', { nullable: true, ...personal }),
    department: t.exposeString('department', { nullable: true, ...personal }),
    isActive: t.exposeBoolean('isActive', personal),
    awaitingApproval: t.exposeBoolean('awaitingApproval', {
      ...personal,
      description: 'Enrolled at a kiosk and not yet approved by an operator: not recognized until then.',
    }),
    erasedAt: t.expose('erasedAt', { type: 'DateTime', nullable: true, ...personal }),
    createdAt: t.expose('createdAt', { type: 'DateTime', ...personal }),
    updatedAt: t.expose('updatedAt', { type: 'DateTime', ...personal }),
    templateCount: t.int({
      ...personal,
      description: 'Stored face templates (all model packs).',
      resolve: (e, _args, ctx) => ctx.loaders.templateCountByEmployee.load(e.id),
    }),
    lastSeenAt: t.field({
      ...personal,
      type: 'DateTime',
      nullable: true,
      description: 'Time of the newest non-voided attendance log.',
      resolve: async (e, _args, ctx) => (await ctx.loaders.latestAttendanceByEmployee.load(e.id))?.checkInTime ?? null,
    }),
  }),
});

const EmployeePageRef = builder.objectRef<EmployeePage>('EmployeePage').implement({
  fields: (t) => ({
    items: t.field({ type: [EmployeeRef], resolve: (p) => p.items }),
    totalCount: t.exposeInt('totalCount'),
    skip: t.exposeInt('skip'),
    take: t.exposeInt('take'),
  }),
});

const EmployeeFilterInput = builder.inputType('EmployeeFilter', {
  fields: (t) => ({
    department: t.string(),
    isActive: t.boolean(),
    search: t.string({ description: 'Substring of full name, employee code or e-mail.' }),
  }),
});

const CreateEmployeeInput = builder.inputType('CreateEmployeeInput', {
  fields: (t) => ({
    employeeCode: t.string({ required: true }),
    fullName: t.string({ required: true }),
    email: t.string(),
    department: t.string(),
    isActive: t.boolean(),
  }),
});

const UpdateEmployeeInput = builder.inputType('UpdateEmployeeInput', {
  description: 'Omitted fields stay as they are; null clears email or department.',
  fields: (t) => ({
    employeeCode: t.string(),
    fullName: t.string(),
    email: t.string(),
    department: t.string(),
    isActive: t.boolean(),
  }),
});

const EmployeeChangeKindEnum = builder.enumType('EmployeeChangeKind', {
  values: ['created', 'updated', 'deactivated', 'erased'] as const,
});

const EmployeeChangedEventRef = builder.objectRef<EmployeeChangedEvent>('EmployeeChangedEvent').implement({
  fields: (t) => ({
    kind: t.field({ type: EmployeeChangeKindEnum, resolve: (e) => e.kind }),
    employeeId: t.exposeInt('employeeId'),
    at: t.field({ type: 'DateTime', resolve: (e) => e.at }),
    employee: t.field({
      type: EmployeeRef,
      nullable: true,
      resolve: (e, _args, ctx) => ctx.loaders.employeeById.load(e.employeeId),
    }),
  }),
});

builder.queryFields((t) => ({
  employee: t.field({
    type: EmployeeRef,
    authScopes: { permission: 'employees:read' },
    errors: { types: [EmployeeNotFoundError], directResult: true },
    args: { id: t.arg.int({ required: true }) },
    resolve: (_root, args, ctx) => r.employee(args, ctx),
  }),
  employees: t.field({
    type: EmployeePageRef,
    authScopes: { permission: 'employees:read' },
    args: {
      filter: t.arg({ type: EmployeeFilterInput }),
      skip: t.arg.int({ description: 'Rows to skip (default 0).' }),
      take: t.arg.int({ description: 'Page size (default 50, at most 500).' }),
    },
    resolve: (_root, args, ctx) => r.employees(args, ctx),
  }),
}));

builder.mutationFields((t) => ({
  createEmployee: t.field({
    type: EmployeeRef,
    authScopes: { permission: 'employees:write' },
    errors: { types: [DuplicateEmployeeCodeError, ValidationError], directResult: true },
    args: { input: t.arg({ type: CreateEmployeeInput, required: true }) },
    resolve: (_root, args, ctx) => r.createEmployee(args, ctx),
  }),
  updateEmployee: t.field({
    type: EmployeeRef,
    authScopes: { permission: 'employees:write' },
    errors: { types: [EmployeeNotFoundError, DuplicateEmployeeCodeError, ValidationError, ConflictError], directResult: true },
    args: { id: t.arg.int({ required: true }), input: t.arg({ type: UpdateEmployeeInput, required: true }) },
    resolve: (_root, args, ctx) => r.updateEmployee(args, ctx),
  }),
  deactivateEmployee: t.field({
    type: EmployeeRef,
    authScopes: { permission: 'employees:write' },
    errors: { types: [EmployeeNotFoundError], directResult: true },
    args: { id: t.arg.int({ required: true }) },
    resolve: (_root, args, ctx) => r.deactivateEmployee(args, ctx),
  }),
  eraseEmployee: t.field({
    type: EmployeeRef,
    description: 'Right to erasure: deletes face templates and snapshots, blanks personal data. Irreversible.',
    authScopes: { permission: 'employees:erase' },
    errors: { types: [EmployeeNotFoundError, ValidationError], directResult: true },
    args: { id: t.arg.int({ required: true }), reason: t.arg.string() },
    resolve: (_root, args, ctx) => r.eraseEmployee(args, ctx),
  }),
}));

builder.subscriptionFields((t) => ({
  employeeChanged: t.field({
    type: EmployeeChangedEventRef,
    description: 'Every employee change; pass employeeId to follow one person.',
    authScopes: { permission: 'employees:read' },
    args: { employeeId: t.arg.int() },
    subscribe: (_root, args, ctx) => r.employeeChanged(args, ctx),
    resolve: (event, _args, ctx) => r.employeeChangedEvent(event, ctx),
  }),
}));
