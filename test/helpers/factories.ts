// Small factories for seeding tests straight through Prisma (no SQL dumps).
import { randomUUID } from 'node:crypto';
import type { PrismaClient } from '../../src/generated/prisma/client.js';
import type { AttendanceLog, Camera, Employee, FaceTemplate } from '../../src/generated/prisma/client.js';

let sequence = 0;
const next = (): number => ++sequence;

export async function makeEmployee(prisma: PrismaClient, data: Partial<Employee> = {}): Promise<Employee> {
  const n = next();
  return prisma.employee.create({
    data: {
      employeeCode: data.employeeCode ?? `EMP-${n}`,
      fullName: data.fullName ?? `Person ${n}`,
      email: data.email === undefined ? `person${n}@example.com` : data.email,
      department: data.department === undefined ? 'Engineering' : data.department,
      isActive: data.isActive ?? true,
    },
  });
}

export async function makeTemplate(prisma: PrismaClient, employeeId: number, modelId = 'test-pack'): Promise<FaceTemplate> {
  const embedding = new Float32Array(512).map(() => Math.random() - 0.5);
  return prisma.faceTemplate.create({
    data: {
      employeeId,
      modelId,
      embedding: new Uint8Array(embedding.buffer),
      quality: 0.9,
      source: 'test',
    },
  });
}

export async function makeCamera(prisma: PrismaClient, name = `camera-${next()}`): Promise<Camera> {
  return prisma.camera.create({ data: { name, sourceKind: 'file', source: '/dev/null' } });
}

export async function makeAttendance(
  prisma: PrismaClient,
  employeeId: number,
  checkInTime: Date,
  data: Partial<AttendanceLog> = {},
): Promise<AttendanceLog> {
  return prisma.attendanceLog.create({
    data: {
      eventId: randomUUID(),
      employeeId,
      cameraId: data.cameraId ?? null,
      checkInTime,
      localDate: checkInTime.toISOString().slice(0, 10),
      confidenceScore: data.confidenceScore ?? 0.8,
      recognitionMethod: data.recognitionMethod ?? 'cosine',
      snapshotPath: data.snapshotPath ?? null,
    },
  });
}
