// The Camera table: reads, and changes written with their audit row in one
// transaction (stream passwords never reach the audit log). A taken name is a
// typed CameraNameTakenError.
import { writeAudit } from '../audit/audit-repository.js';
import type { Caller } from '../auth/caller.js';
import { NotFoundError } from '../domain/errors.js';
import type { Camera, Prisma, PrismaClient } from '../generated/prisma/client.js';
import { CameraNameTakenError } from './camera-errors.js';
import { redacted } from './camera-settings.js';
import type { EnvCamera } from './env-camera.js';
import { isUniqueViolation } from '../db/prisma-errors.js';

export interface CameraRepository {
  /** Every camera (or only the enabled ones), by id. */
  list(options?: { enabledOnly?: boolean }): Promise<Camera[]>;
  /** The camera, or NotFoundError. */
  find(id: number): Promise<Camera>;
  create(caller: Caller | null, data: Prisma.CameraCreateInput): Promise<Camera>;
  update(caller: Caller | null, before: Camera, data: Prisma.CameraUpdateInput): Promise<Camera>;
  delete(caller: Caller | null, before: Camera): Promise<void>;
  /** The environment's camera (CAMERA_SOURCE), created or brought in line by name, enabled. */
  upsertEnvironmentCamera(camera: EnvCamera): Promise<Camera>;
}

export function createCameraRepository(prisma: PrismaClient): CameraRepository {
  const find = async (id: number): Promise<Camera> => {
    const camera = await prisma.camera.findUnique({ where: { id } });
    if (camera === null) {
      throw new NotFoundError('Camera', id);
    }
    return camera;
  };

  return {
    list: (options = {}) => prisma.camera.findMany({ ...(options.enabledOnly === true && { where: { enabled: true } }), orderBy: { id: 'asc' } }),
    find,

    async create(caller, data) {
      try {
        return await prisma.$transaction(async (tx) => {
          const created = await tx.camera.create({ data });
          await writeAudit(tx, caller, { action: 'camera.create', entityType: 'camera', entityId: created.id, after: redacted(created) });
          return created;
        });
      } catch (error) {
        throw isUniqueViolation(error) ? new CameraNameTakenError(data.name) : error;
      }
    },

    async update(caller, before, data) {
      try {
        return await prisma.$transaction(async (tx) => {
          const updated = await tx.camera.update({ where: { id: before.id }, data });
          await writeAudit(tx, caller, { action: 'camera.update', entityType: 'camera', entityId: before.id, before: redacted(before), after: redacted(updated) });
          return updated;
        });
      } catch (error) {
        throw isUniqueViolation(error) && typeof data.name === 'string' ? new CameraNameTakenError(data.name) : error;
      }
    },

    async delete(caller, before) {
      await prisma.$transaction(async (tx) => {
        await tx.camera.delete({ where: { id: before.id } });
        await writeAudit(tx, caller, { action: 'camera.delete', entityType: 'camera', entityId: before.id, before: redacted(before) });
      });
    },

    upsertEnvironmentCamera(c) {
      const data = {
        sourceKind: c.source.kind,
        source: c.sourceText,
        loop: c.source.kind === 'file' && c.source.loop,
        width: c.width,
        height: c.height,
        fps: Math.round(c.fps),
        predictInterval: c.predictInterval,
        enabled: true,
      };
      return prisma.camera.upsert({ where: { name: c.name }, create: { name: c.name, ...data }, update: data });
    },
  };
}

