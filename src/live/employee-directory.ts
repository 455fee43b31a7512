// Employee names and codes for the live paths (the old WebSocket's frames, the
// recent-recognitions list). Frames arrive many times a second: names come first
// from the recognition models' directory (the people the recognizer can name,
// kept in step with employeeChanged), then from a short-lived cache of the
// database for anyone else; a rename shows up within the TTL there. One per
// app (src/services/create-services.ts), shared by the cameras and the old
// WebSocket stream.
import type { EmployeeId } from '../domain/ids.js';
import type { PrismaClient } from '../generated/prisma/client.js';

export interface EmployeeLabel {
  fullName: string;
  employeeCode: string;
}

export interface EmployeeDirectory {
  /** Labels of the given ids; erased or missing employees are left out. */
  lookup(ids: Iterable<EmployeeId>): Promise<Map<EmployeeId, EmployeeLabel>>;
}

export function createEmployeeDirectory(
  prisma: PrismaClient,
  options: { ttlMs?: number; now?: () => number; known?: (id: EmployeeId) => EmployeeLabel | undefined } = {},
): EmployeeDirectory {
  const ttlMs = options.ttlMs ?? 10_000;
  const now = options.now ?? Date.now;
  const cache = new Map<EmployeeId, { label: EmployeeLabel | null; until: number }>();

  return {
    async lookup(ids) {
      const out = new Map<EmployeeId, EmployeeLabel>();
      const missing: EmployeeId[] = [];
      const t = now();
      for (const id of new Set(ids)) {
        const known = options.known?.(id);
        if (known !== undefined) {
          out.set(id, known);
          continue;
        }
        const hit = cache.get(id);
        if (hit !== undefined && hit.until > t) {
          if (hit.label !== null) {
            out.set(id, hit.label);
          }
        } else {
          missing.push(id);
        }
      }
      if (missing.length === 0) {
        return out;
      }
      const rows = await prisma.employee.findMany({
        where: { id: { in: missing }, erasedAt: null },
        select: { id: true, fullName: true, employeeCode: true },
      });
      const found = new Map(rows.map((r) => [r.id, { fullName: r.fullName, employeeCode: r.employeeCode }]));
      const until = now() + ttlMs;
      for (const id of missing) {
        const label = found.get(id) ?? null;
        cache.set(id, { label, until });
        if (label !== null) {
          out.set(id, label);
        }
      }
      // Bounded: a long-running server sees only so many people.
      if (cache.size > 10_000) {
        cache.clear();
      }
      return out;
    },
  };
}
