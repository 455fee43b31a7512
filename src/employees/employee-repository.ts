// The Employee table: reads, and changes written with their audit row in one
// transaction. A taken employee code is a typed DuplicateEmployeeCodeError; an
// erased employee cannot be changed or approved (ConflictError).
import { Prisma } from '../generated/prisma/client.js';
import type { Employee, PrismaClient } from '../generated/prisma/client.js';
import type { Caller } from '../auth/caller.js';
import { writeAudit } from '../audit/audit-repository.js';
import { isUniqueViolation } from '../db/prisma-errors.js';
import { ConflictError, DuplicateEmployeeCodeError, EmployeeNotFoundError } from '../domain/errors.js';

/** What an erased employee is called from then on. */
export const ERASED_NAME = 'Erased employee';

export interface NewEmployee {
  employeeCode: string;
  fullName: string;
  email: string | null;
  department: string | null;
  isActive: boolean;
}

/** The fields to change; the others stay. */
export type EmployeePatch = { [K in keyof NewEmployee]?: NewEmployee[K] | undefined };

export interface EmployeeFilter {
  department?: string | null;
  isActive?: boolean | null;
  /** Substring of name, code or e-mail (case-insensitive by the table's collation). */
  search?: string | null;
}

/** What erasure removed besides the personal fields. */
export interface ErasedEmployee {
  employee: Employee;
  templatesDeleted: number;
  /** The snapshot files of the employee's attendance rows (their paths are cleared in the rows). */
  snapshotPaths: string[];
}

/** Whom a lookup of names includes: anyone, everyone not erased, the active ones, or those the gallery recognizes (approved too). */
export type NameScope = 'any' | 'not_erased' | 'active' | 'recognizable';

export type EmployeeName = Pick<Employee, 'id' | 'employeeCode' | 'fullName'>;

export interface EmployeeRepository {
  /** The employee, or EmployeeNotFoundError. */
  get(id: number): Promise<Employee>;
  /** The employee unless erased (to callers an erased employee is gone): EmployeeNotFoundError otherwise. */
  getUnerased(id: number): Promise<Employee>;
  /** Code and name of those of `ids` in `scope` (the others are left out). */
  names(ids: readonly number[], scope: NameScope): Promise<EmployeeName[]>;
  /** Someone (erased or not) has this code. */
  codeTaken(employeeCode: string): Promise<boolean>;
  /** A page of the employees not erased that match, by id, and how many match in all. */
  page(filter: EmployeeFilter, skip: number, take: number): Promise<{ items: Employee[]; totalCount: number }>;
  create(caller: Caller | null, data: NewEmployee): Promise<Employee>;
  update(caller: Caller | null, id: number, patch: EmployeePatch): Promise<Employee>;
  /** An inactive employee is returned as it is, without an audit row. */
  deactivate(caller: Caller | null, id: number): Promise<Employee>;
  /** Clears awaitingApproval (kiosk enrollments); `changed` is false when it was clear already. */
  approve(caller: Caller | null, id: number): Promise<{ employee: Employee; changed: boolean }>;
  /**
   * Deletes the face templates, clears the attendance snapshot paths, the pending
   * enrollment data and the personal fields of earlier audit rows, and blanks the
   * employee; attendance rows stay (anonymous). Idempotent (`erasedAt` is kept).
   */
  erase(caller: Caller | null, id: number, at: Date, reason: string | null): Promise<ErasedEmployee>;
}

export function createEmployeeRepository(prisma: PrismaClient): EmployeeRepository {
  return {
    async get(id) {
      const employee = await prisma.employee.findUnique({ where: { id } });
      if (employee === null) {
        throw new EmployeeNotFoundError(id);
      }
      return employee;
    },

    async getUnerased(id) {
      const employee = await prisma.employee.findUnique({ where: { id } });
      if (employee === null || employee.erasedAt !== null) {
        throw new EmployeeNotFoundError(id);
      }
      return employee;
    },

    names: async (ids, scope) =>
      ids.length === 0
        ? []
        : prisma.employee.findMany({ where: { id: { in: [...ids] }, ...SCOPES[scope] }, select: { id: true, employeeCode: true, fullName: true } }),

    codeTaken: async (employeeCode) => (await prisma.employee.count({ where: { employeeCode } })) > 0,

    async page(filter, skip, take) {
      const where = whereOf(filter);
      const [items, totalCount] = await Promise.all([
        prisma.employee.findMany({ where, orderBy: { id: 'asc' }, skip, take }),
        prisma.employee.count({ where }),
      ]);
      return { items, totalCount };
    },

    async create(caller, data) {
      try {
        return await prisma.$transaction(async (tx) => {
          const created = await tx.employee.create({ data });
          await writeAudit(tx, caller, { action: 'employee.create', entityType: 'employee', entityId: created.id, after: created });
          return created;
        });
      } catch (error) {
        throw isUniqueViolation(error) ? new DuplicateEmployeeCodeError(data.employeeCode) : error;
      }
    },

    async update(caller, id, patch) {
      try {
        return await prisma.$transaction(async (tx) => {
          const before = await tx.employee.findUnique({ where: { id } });
          if (before === null) {
            throw new EmployeeNotFoundError(id);
          }
          if (before.erasedAt !== null) {
            throw new ConflictError(`Employee ${id} was erased and cannot be changed`);
          }
          const after = await tx.employee.update({ where: { id }, data: patch });
          await writeAudit(tx, caller, { action: 'employee.update', entityType: 'employee', entityId: id, before, after });
          return after;
        });
      } catch (error) {
        throw isUniqueViolation(error) && patch.employeeCode !== undefined ? new DuplicateEmployeeCodeError(patch.employeeCode) : error;
      }
    },

    deactivate: (caller, id) =>
      prisma.$transaction(async (tx) => {
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
      }),

    approve: (caller, id) =>
      prisma.$transaction(async (tx) => {
        const before = await tx.employee.findUnique({ where: { id } });
        if (before === null) {
          throw new EmployeeNotFoundError(id);
        }
        if (before.erasedAt !== null) {
          throw new ConflictError(`Employee ${id} was erased and cannot be approved`);
        }
        if (!before.awaitingApproval) {
          return { employee: before, changed: false };
        }
        const after = await tx.employee.update({ where: { id }, data: { awaitingApproval: false } });
        await writeAudit(tx, caller, {
          action: 'enrollment.approve',
          entityType: 'employee',
          entityId: id,
          before: { awaitingApproval: true },
          after: { awaitingApproval: false },
        });
        return { employee: after, changed: true };
      }),

    erase: (caller, id, at, reason) =>
      prisma.$transaction(async (tx) => {
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
            erasedAt: before.erasedAt ?? at,
          },
        });
        await writeAudit(tx, caller, {
          action: 'employee.erase',
          entityType: 'employee',
          entityId: id,
          after: { templatesDeleted: templates.count, snapshotsDeleted: logs.length },
          reason,
        });
        return {
          employee: after,
          templatesDeleted: templates.count,
          snapshotPaths: logs.flatMap((l) => (l.snapshotPath === null ? [] : [l.snapshotPath])),
        };
      }),
  };
}

const SCOPES: Record<NameScope, Prisma.EmployeeWhereInput> = {
  any: {},
  not_erased: { erasedAt: null },
  active: { isActive: true, erasedAt: null },
  recognizable: { isActive: true, erasedAt: null, awaitingApproval: false },
};

function whereOf(filter: EmployeeFilter): Prisma.EmployeeWhereInput {
  const search = filter.search?.trim();
  return {
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
}
