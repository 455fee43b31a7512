// Employee service: the only code that changes employees. GraphQL fields and
// REST routes both call it. It checks the input; the repository writes each
// change with its audit row in one transaction; `employeeChanged` is published
// after commit.
import { rm } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import type { Employee } from '../generated/prisma/client.js';
import type { Logger } from 'pino';
import type { Config } from '../config.js';
import type { Caller } from '../auth/caller.js';
import type { EventPublisher } from '../events/event-bus.js';
import type { EmployeeChangeKind } from '../employees/events.js';
import type { EmployeeFilter, EmployeeRepository } from '../employees/employee-repository.js';
import { parseInput } from '../domain/errors.js';

export interface EmployeeServiceDeps {
  employees: EmployeeRepository;
  clock: () => Date;
  events: EventPublisher;
  config: Pick<Config, 'DATA_DIR'>;
  log: Logger;
}

export interface EmployeeService {
  get(id: number): Promise<Employee>;
  list(options?: { filter?: EmployeeFilter; skip?: number | null; take?: number | null }): Promise<EmployeePage>;
  create(caller: Caller | null, input: CreateEmployeeInput): Promise<Employee>;
  update(caller: Caller | null, id: number, patch: UpdateEmployeeInput): Promise<Employee>;
  /** Soft delete, as the replaced service's DELETE did: the person stays, recognition ignores them. */
  deactivate(caller: Caller | null, id: number): Promise<Employee>;
  /** Right to erasure (templates, snapshots, personal fields); idempotent. */
  erase(caller: Caller | null, id: number, reason?: string | null): Promise<Employee>;
}

export function createEmployeeService(deps: EmployeeServiceDeps): EmployeeService {
  return {
    get: (id) => deps.employees.get(id),
    list: (options) => listEmployees(deps, options),
    create: (caller, input) => createEmployee(deps, caller, input),
    update: (caller, id, patch) => updateEmployee(deps, caller, id, patch),
    deactivate: (caller, id) => deactivateEmployee(deps, caller, id),
    erase: (caller, id, reason) => eraseEmployee(deps, caller, id, reason),
  };
}

/** Field rules shared by GraphQL inputs and the REST (snake_case) bodies. */
export const employeeFieldSchemas = {
  employeeCode: z
    .string()
    .trim()
    .min(1, 'must not be empty')
    .max(64)
    .regex(/^[\p{L}\p{N}._\-/#]+$/u, 'may hold letters, digits and . _ - / # only')
    .refine((v) => !v.startsWith('erased-'), 'the erased- prefix is reserved'),
  fullName: z.string().trim().min(1, 'must not be empty').max(255),
  email: z.email().max(255).nullable(),
  department: z.string().trim().min(1, 'must not be empty').max(128).nullable(),
  isActive: z.boolean(),
};

const createSchema = z.object({
  employeeCode: employeeFieldSchemas.employeeCode,
  fullName: employeeFieldSchemas.fullName,
  email: employeeFieldSchemas.email.optional(),
  department: employeeFieldSchemas.department.optional(),
  isActive: employeeFieldSchemas.isActive.optional(),
});
const updateSchema = createSchema.partial();

export type CreateEmployeeInput = z.input<typeof createSchema>;
export type UpdateEmployeeInput = z.input<typeof updateSchema>;

export interface EmployeePage {
  items: Employee[];
  totalCount: number;
  skip: number;
  take: number;
}

export const MAX_PAGE_SIZE = 500;
export const DEFAULT_PAGE_SIZE = 50;


function publish(deps: EmployeeServiceDeps, kind: EmployeeChangeKind, employeeId: number): void {
  deps.events.publish('employeeChanged', { kind, employeeId, at: deps.clock().toISOString() });
}

async function listEmployees(
  deps: Pick<EmployeeServiceDeps, 'employees'>,
  options: { filter?: EmployeeFilter; skip?: number | null; take?: number | null } = {},
): Promise<EmployeePage> {
  const skip = Math.max(0, options.skip ?? 0);
  const take = Math.min(MAX_PAGE_SIZE, Math.max(1, options.take ?? DEFAULT_PAGE_SIZE));
  const { items, totalCount } = await deps.employees.page(options.filter ?? {}, skip, take);
  return { items, totalCount, skip, take };
}

async function createEmployee(
  deps: EmployeeServiceDeps,
  caller: Caller | null,
  input: CreateEmployeeInput,
): Promise<Employee> {
  const data = parseInput(createSchema, input);
  const employee = await deps.employees.create(caller, {
    employeeCode: data.employeeCode,
    fullName: data.fullName,
    email: data.email ?? null,
    department: data.department ?? null,
    isActive: data.isActive ?? true,
  });
  publish(deps, 'created', employee.id);
  return employee;
}

async function updateEmployee(
  deps: EmployeeServiceDeps,
  caller: Caller | null,
  id: number,
  patch: UpdateEmployeeInput,
): Promise<Employee> {
  const employee = await deps.employees.update(caller, id, parseInput(updateSchema, patch));
  publish(deps, 'updated', id);
  return employee;
}

async function deactivateEmployee(deps: EmployeeServiceDeps, caller: Caller | null, id: number): Promise<Employee> {
  const employee = await deps.employees.deactivate(caller, id);
  publish(deps, 'deactivated', id);
  return employee;
}

/**
 * Right to erasure: removes the face templates and attendance snapshots, blanks
 * the personal fields and scrubs them from earlier audit rows. Attendance rows
 * stay (anonymous) so statistics keep adding up. Idempotent.
 */
async function eraseEmployee(
  deps: EmployeeServiceDeps,
  caller: Caller | null,
  id: number,
  reason?: string | null,
): Promise<Employee> {
  const { employee, snapshotPaths, templatesDeleted } = await deps.employees.erase(caller, id, deps.clock(), reason ?? null);
  await deleteSnapshotFiles(deps, snapshotPaths);
  deps.log.info({ employeeId: id, templatesDeleted, snapshots: snapshotPaths.length }, 'employee erased');
  publish(deps, 'erased', id);
  return employee;
}

// Only files inside DATA_DIR are touched, whatever a row says.
async function deleteSnapshotFiles(deps: EmployeeServiceDeps, paths: string[]): Promise<void> {
  const root = path.resolve(deps.config.DATA_DIR);
  await Promise.all(
    paths.map(async (p) => {
      const file = path.resolve(root, p);
      if (!file.startsWith(root + path.sep)) {
        deps.log.warn({ snapshotPath: p }, 'snapshot path outside DATA_DIR left alone');
        return;
      }
      try {
        await rm(file, { force: true });
      } catch (error) {
        deps.log.error({ err: error, snapshotPath: p }, 'could not delete snapshot');
      }
    }),
  );
}
