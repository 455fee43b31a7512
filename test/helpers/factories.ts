// Small factories for seeding tests: each creates one row with sensible,
// unique defaults and takes overrides for what the test cares about.
import type { AttendanceLog, Camera, Employee, PrismaClient } from '../../src/generated/prisma/client.js';
import type { Prisma } from '../../src/generated/prisma/client.js';

let sequence = 0;
const next = (): number => {
  sequence += 1;
  return sequence;
};

export async function createEmployee(
  prisma: PrismaClient,
  overrides: Partial<Prisma.EmployeeUncheckedCreateInput> = {},
): Promise<Employee> {
  const n = next();
  return prisma.employee.create({
    data: {
      employeeCode: `E${String(n).padStart(4, '0')}`,
      fullName: `Employee ${n}`,
      email: `employee${n}@example.test`,
      department: 'Engineering',
      ...overrides,
    },
  });
}

export async function createEmployees(prisma: PrismaClient, count: number): Promise<Employee[]> {
  const out: Employee[] = [];
  for (let i = 0; i < count; i += 1) {
    out.push(await createEmployee(prisma));
  }
  return out;
}

export async function createCamera(
  prisma: PrismaClient,
  overrides: Partial<Prisma.CameraUncheckedCreateInput> = {},
): Promise<Camera> {
  const n = next();
  return prisma.camera.create({
    data: {
      name: `Camera ${n}`,
      sourceKind: 'file',
      source: `/dev/null/${n}`,
      ...overrides,
    },
  });
}

/**
 * Inserts a log row directly (no dedupe, no labels): for read-side tests.
 * Pass `localDate` when the test uses a time zone other than UTC.
 */
export async function createAttendanceLog(
  prisma: PrismaClient,
  data: { employeeId: number; checkInTime: Date } & Partial<Prisma.AttendanceLogUncheckedCreateInput>,
): Promise<AttendanceLog> {
  const n = next();
  return prisma.attendanceLog.create({
    data: {
      eventId: `test-${n}-${data.checkInTime.getTime()}`,
      localDate: data.checkInTime.toISOString().slice(0, 10),
      eventType: 'check_in',
      confidenceScore: 0.9,
      recognitionMethod: 'cosine',
      ...data,
    },
  });
}
