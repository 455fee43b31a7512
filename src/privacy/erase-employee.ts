// The erasure the APIs run: the employee service's transaction (row, templates,
// audit before/after, known snapshot paths), then every other trace of the
// person (src/privacy/erase-traces.ts). Idempotent: erasing again cleans again.
import type { Employee } from '../generated/prisma/client.js';
import type { AppDeps } from '../context.js';
import type { Caller } from '../auth/caller.js';
import { eraseEmployee } from '../resolvers/employees.js';
import { eraseTraces } from './erase-traces.js';

export async function eraseEmployeeEverywhere(deps: AppDeps, caller: Caller | null, id: number, reason?: string | null): Promise<Employee> {
  const employee = await eraseEmployee(deps, caller, id, reason);
  await eraseTraces(deps, id);
  return employee;
}
