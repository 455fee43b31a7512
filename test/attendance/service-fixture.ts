// Builds the attendance service for tests: a settable clock, a temporary
// DATA_DIR, a silent logger and a record of what was published.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createAttendanceRepository } from '../../src/attendance/attendance-repository.js';
import type { AttendanceConfig, AttendanceLogRecord, Logger } from '../../src/attendance/types.js';
import { createDatabaseStatus } from '../../src/db/database-status.js';
import { createEmployeeRepository } from '../../src/employees/employee-repository.js';
import type { PrismaClient } from '../../src/generated/prisma/client.js';
import { createAttendanceService, type AttendanceService } from '../../src/services/attendance-service.js';

export const silentLogger: Logger = { info() {}, warn() {}, error() {} };

export type ServiceFixture = {
  service: AttendanceService;
  config: AttendanceConfig;
  published: AttendanceLogRecord[];
  setNow(at: Date | string): void;
  dataDir: string;
  cleanup(): Promise<void>;
};

export async function createServiceFixture(
  prisma: PrismaClient,
  overrides: Partial<AttendanceConfig> = {},
  options: { dataDir?: string; outboxBackoffMs?: { initial: number; max: number } } = {},
): Promise<ServiceFixture> {
  const dataDir = options.dataDir ?? (await mkdtemp(join(tmpdir(), 'attendance-')));
  const config: AttendanceConfig = {
    TIMEZONE: 'America/New_York',
    ATTENDANCE_DEDUPE_MINUTES: 5,
    CHECKOUT_ENABLED: true,
    CHECKOUT_MIN_MINUTES: 240,
    SHIFT_START: '09:00',
    LATE_GRACE_MINUTES: 5,
    SNAPSHOTS_ENABLED: true,
    SNAPSHOT_RETENTION_DAYS: 30,
    DATA_DIR: dataDir,
    ...overrides,
  };
  let now = new Date('2024-06-12T16:00:00Z');
  const published: AttendanceLogRecord[] = [];
  const service = createAttendanceService({
    logs: createAttendanceRepository(prisma, config),
    employees: createEmployeeRepository(prisma),
    database: createDatabaseStatus(prisma),
    config,
    clock: () => now,
    logger: silentLogger,
    publish: (log) => published.push(log),
    ...(options.outboxBackoffMs && { outboxBackoffMs: options.outboxBackoffMs }),
  });
  return {
    service,
    config,
    published,
    dataDir,
    setNow(at) {
      now = new Date(at);
    },
    async cleanup() {
      await service.stop();
      if (!options.dataDir) {
        await rm(dataDir, { recursive: true, force: true });
      }
    },
  };
}
