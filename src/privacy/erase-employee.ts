// The erasure the APIs run: the employee service's transaction (row, templates,
// audit before/after, known snapshot paths), then every other trace of the
// person (src/privacy/erase-traces.ts). Idempotent: erasing again cleans again.
import type { Employee } from '../generated/prisma/client.js';
import type { AppDeps } from '../context.js';
import type { Caller } from '../auth/caller.js';
import { eraseEmployee } from '../resolvers/employees.js';
import { eraseTraces } from './erase-traces.js';
import { ValidationError } from '../domain/errors.js';

/** AuditLog.reason is VARCHAR(512): a longer reason is refused before anything is erased. */
export const MAX_ERASE_REASON = 512;

export async function eraseEmployeeEverywhere(deps: AppDeps, caller: Caller | null, id: number, reason?: string | null): Promise<Employee> {
  const trimmed = reason?.trim() || null;
  if (trimmed !== null && trimmed.length > MAX_ERASE_REASON) {
    throw new ValidationError([{ path: ['reason'], message: `must be at most ${MAX_ERASE_REASON} characters` }]);
  }
  const employee = await eraseEmployee(deps, caller, id, trimmed);
  await eraseTraces(deps, id);
  return employee;
}
