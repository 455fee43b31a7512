// What the health and status answers read from the database: a ping, the
// server's version, and the row counts the status page shows.
import { Prisma } from '../generated/prisma/client.js';
import type { PrismaClient } from '../generated/prisma/client.js';

export interface RowCounts {
  /** Not erased. */
  employees: number;
  /** Not erased and active. */
  activeEmployees: number;
  faceTemplates: number;
  /** Not voided. */
  attendanceLogs: number;
  cameras: number;
}

export interface DatabaseStatus {
  /** Resolves once the database answered `SELECT 1`. */
  ping(): Promise<void>;
  /** The server's VERSION(), or null when it cannot be read. */
  version(): Promise<string | null>;
  counts(): Promise<RowCounts>;
  /** The version of the Prisma client library. */
  readonly clientVersion: string;
}

export function createDatabaseStatus(prisma: PrismaClient): DatabaseStatus {
  return {
    async ping() {
      await prisma.$queryRaw`SELECT 1`;
    },
    async version() {
      try {
        const rows = await prisma.$queryRaw<{ v: string }[]>`SELECT VERSION() AS v`;
        return rows[0]?.v ?? null;
      } catch {
        return null;
      }
    },
    async counts() {
      const [employees, activeEmployees, faceTemplates, attendanceLogs, cameras] = await Promise.all([
        prisma.employee.count({ where: { erasedAt: null } }),
        prisma.employee.count({ where: { erasedAt: null, isActive: true } }),
        prisma.faceTemplate.count(),
        prisma.attendanceLog.count({ where: { voidedAt: null } }),
        prisma.camera.count(),
      ]);
      return { employees, activeEmployees, faceTemplates, attendanceLogs, cameras };
    },
    clientVersion: Prisma.prismaVersion.client,
  };
}
