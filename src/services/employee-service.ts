// Employee service: the only code that changes employees. GraphQL fields and
// REST routes both call it. Every change writes an audit row in the same
// transaction and publishes `employeeChanged` after commit.
import { rm } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import { Prisma } from '../generated/prisma/client.js';
import type { Employee } from '../generated/prisma/client.js';
import type { Logger } from 'pino';
import type { PrismaClient } from '../generated/prisma/client.js';
import type { Config } from '../config.js';
import type { Caller } from '../auth/caller.js';
import type { EventPublisher } from '../events/event-bus.js';
import type { EmployeeChangeKind } from '../employees/events.js';
import {
  ConflictError,
  DuplicateEmployeeCodeError,
  EmployeeNotFoundError,
  parseInput,
} from '../domain/errors.js';
import { writeAudit } from '../audit/audit-repository.js';
import { isUniqueViolation } from '../db/prisma-errors.js';

export interface EmployeeServiceDeps {
  prisma: PrismaClient;
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
    get: (id) => getEmployee(deps, id),
    list: (options) => listEmployees(deps, options),
    create: (caller, input) => createEmployee(deps, caller, input),
    update: (caller, id, patch) => updateEmployee(deps, caller, id, patch),
    deactivate: (caller, id) => deactivateEmployee(deps, caller, id),
    erase: (caller, id, reason) => eraseEmployee(deps, caller, id, reason),
  };
}

export const ERASED_NAME = 'Erased employee';

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

export interface EmployeeFilter {
  department?: string | null;
  isActive?: boolean | null;
  /** Substring of name, code or e-mail (case-insensitive by the table's collation). */
  search?: string | null;
}

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

async function getEmployee(deps: Pick<EmployeeServiceDeps, 'prisma'>, id: number): Promise<Employee> {
  const employee = await deps.prisma.employee.findUnique({ where: { id } });
  if (employee === null) {
    throw new EmployeeNotFoundError(id);
  }
  return employee;
}

async function listEmployees(
  deps: Pick<EmployeeServiceDeps, 'prisma'>,
  options: { filter?: EmployeeFilter; skip?: number | null; take?: number | null } = {},
): Promise<EmployeePage> {
  const skip = Math.max(0, options.skip ?? 0);
  const take = Math.min(MAX_PAGE_SIZE, Math.max(1, options.take ?? DEFAULT_PAGE_SIZE));
  const filter = options.filter ?? {};
  const search = filter.search?.trim();
  const where: Prisma.EmployeeWhereInput = {
    erasedAt: null,
    ...(filter.department != null ? { department: filter.department } : {}),
    ...(filter.isActive != null ? { isActive: filter.isActive } : {}),
    ...(search !== undefined && search !== ''
      ? {
          OR: [
            { fullName: { contains: search } },
            { employeeCode: { contains: search } },
            { email: { contains: search } },
          ],
        }
      : {}),
  };
  const [items, totalCount] = await Promise.all([
    deps.prisma.employee.findMany({ where, orderBy: { id: 'asc' }, skip, take }),
    deps.prisma.employee.count({ where }),
  ]);
  return { items, totalCount, skip, take };
}

async function createEmployee(
  deps: EmployeeServiceDeps,
  caller: Caller | null,
  input: CreateEmployeeInput,
): Promise<Employee> {
  const data = parseInput(createSchema, input);
  let employee: Employee;
  try {
    employee = await deps.prisma.$transaction(async (tx) => {
      const created = await tx.employee.create({
        data: {
          employeeCode: data.employeeCode,
          fullName: data.fullName,
          email: data.email ?? null,
          department: data.department ?? null,
          isActive: data.isActive ?? true,
        },
      });
      await writeAudit(tx, caller, { action: 'employee.create', entityType: 'employee', entityId: created.id, after: created });
      return created;
    });
  } catch (error) {
    if (isUniqueViolation(error)) {
      throw new DuplicateEmployeeCodeError(data.employeeCode);
    }
    throw error;
  }
  publish(deps, 'created', employee.id);
  return employee;
}

async function updateEmployee(
  deps: EmployeeServiceDeps,
  caller: Caller | null,
  id: number,
  patch: UpdateEmployeeInput,
): Promise<Employee> {
  const data = parseInput(updateSchema, patch);
  let employee: Employee;
  try {
    employee = await deps.prisma.$transaction(async (tx) => {
      const before = await tx.employee.findUnique({ where: { id } });
      if (before === null) {
        throw new EmployeeNotFoundError(id);
      }
      if (before.erasedAt !== null) {
        throw new ConflictError(`Employee ${id} was erased and cannot be changed`);
      }
      const after = await tx.employee.update({ where: { id }, data });
      await writeAudit(tx, caller, { action: 'employee.update', entityType: 'employee', entityId: id, before, after });
      return after;
    });
  } catch (error) {
    if (isUniqueViolation(error) && data.employeeCode !== undefined) {
      throw new DuplicateEmployeeCodeError(data.employeeCode);
    }
    throw error;
  }
  publish(deps, 'updated', id);
  return employee;
}

async function deactivateEmployee(deps: EmployeeServiceDeps, caller: Caller | null, id: number): Promise<Employee> {
  const employee = await deps.prisma.$transaction(async (tx) => {
    const before = await tx.employee.findUnique({ where: { id } });
    if (before === null) {
      throw new EmployeeNotFoundError(id);
    }
    if (!before.isActive) {
      return before;
    }
    const after = await tx.employee.update({ where: { id }, data: { isActive: false } });
    await writeAudit(tx, caller, { action: 'employee.deactivate', entityType: 'employee', entityId: id, before, after });
    return after;
  });
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
  const now = deps.clock();
  const { employee, snapshotPaths, templatesDeleted } = await deps.prisma.$transaction(async (tx) => {
    const before = await tx.employee.findUnique({ where: { id } });
    if (before === null) {
      throw new EmployeeNotFoundError(id);
    }
    const logs = await tx.attendanceLog.findMany({
      where: { employeeId: id, snapshotPath: { not: null } },
      select: { snapshotPath: true },
    });
    const templates = await tx.faceTemplate.deleteMany({ where: { employeeId: id } });
    await tx.attendanceLog.updateMany({
      where: { employeeId: id, snapshotPath: { not: null } },
      data: { snapshotPath: null, snapshotExpiresAt: null },
    });
    await tx.enrollmentSession.updateMany({ where: { employeeId: id }, data: { pendingEmployee: Prisma.DbNull } });
    await tx.auditLog.updateMany({
      where: { entityType: 'employee', entityId: String(id) },
      data: { before: Prisma.DbNull, after: Prisma.DbNull },
    });
    const after = await tx.employee.update({
      where: { id },
      data: {
        fullName: ERASED_NAME,
        employeeCode: `erased-${id}`,
        email: null,
        department: null,
        isActive: false,
        erasedAt: before.erasedAt ?? now,
      },
    });
    await writeAudit(tx, caller, {
      action: 'employee.erase',
      entityType: 'employee',
      entityId: id,
      after: { templatesDeleted: templates.count, snapshotsDeleted: logs.length },
      reason: reason ?? null,
    });
    return {
      employee: after,
      templatesDeleted: templates.count,
      snapshotPaths: logs.flatMap((l) => (l.snapshotPath === null ? [] : [l.snapshotPath])),
    };
  });
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
