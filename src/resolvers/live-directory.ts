// Employee names and codes for the live paths (the old WebSocket's frames, the
// recent-recognitions list). Frames arrive many times a second, so names are
// cached for a short while instead of asking the database per frame; a rename
// shows up within the TTL.
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

export function createEmployeeDirectory(prisma: PrismaClient, options: { ttlMs?: number; now?: () => number } = {}): EmployeeDirectory {
  const ttlMs = options.ttlMs ?? 10_000;
  const now = options.now ?? Date.now;
  const cache = new Map<EmployeeId, { label: EmployeeLabel | null; until: number }>();

  return {
    async lookup(ids) {
      const out = new Map<EmployeeId, EmployeeLabel>();
      const missing: EmployeeId[] = [];
      const t = now();
      for (const id of new Set(ids)) {
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
