// Trained SVMs in the database (ClassifierModel rows): at most one active row
// per model pack. Training writes a new one; the recognition models read the
// active one at load; GraphQL and REST list them. Artifacts hold support
// vectors, which are face embeddings: stored AES-256-GCM encrypted like templates.
import type { ClassifierModel, Prisma, PrismaClient } from '../generated/prisma/client.js';
import type { ModelPackId } from '../domain/ids.js';
import { classifierAad, type TemplateCipher } from '../crypto/template-cipher.js';

export interface NewClassifierModel {
  modelId: ModelPackId | string;
  kind: string;
  artifact: Uint8Array<ArrayBuffer>;
  params: Prisma.InputJsonValue;
  metrics: Prisma.InputJsonValue;
  templateCount: number;
  employeeCount: number;
  trainingMs: number;
}

export interface ClassifierModelRepository {
  /** The pack's active model (newest if, against the rule, several are). */
  active(modelId: ModelPackId | string): Promise<ClassifierModel | null>;
  /** Newest first; every pack when `modelId` is null. */
  list(modelId: ModelPackId | string | null, take: number): Promise<ClassifierModel[]>;
  /** Stores `model` as the pack's active one and deactivates the others, in one transaction (artifact encrypted). */
  saveActive(model: NewClassifierModel): Promise<ClassifierModel>;
  /** The serialized SVM of a stored row, decrypted. */
  artifactOf(row: Pick<ClassifierModel, 'modelId' | 'artifact'>): Uint8Array;
  /**
   * Erasure: deletes every model trained with this employee (their class is in it, so
   * their embeddings are among its support vectors), the active one included; a row
   * without a recorded class list goes too. Returns how many.
   */
  deleteHolding(employeeId: number): Promise<number>;
}

export function createClassifierModelRepository(prisma: PrismaClient, cipher: TemplateCipher): ClassifierModelRepository {
  return {
    artifactOf: (row) => cipher.decrypt(row.artifact, classifierAad(row.modelId)),
    async deleteHolding(employeeId) {
      const rows = await prisma.classifierModel.findMany({ select: { id: true, params: true } });
      const holding = rows.filter((r) => {
        const employees = (r.params as { fingerprint?: { employees?: unknown } } | null)?.fingerprint?.employees;
        return !Array.isArray(employees) || employees.includes(employeeId);
      });
      if (holding.length === 0) {
        return 0;
      }
      const { count } = await prisma.classifierModel.deleteMany({ where: { id: { in: holding.map((r) => r.id) } } });
      return count;
    },
    active: (modelId) => prisma.classifierModel.findFirst({ where: { modelId, isActive: true }, orderBy: { id: 'desc' } }),
    list: (modelId, take) =>
      prisma.classifierModel.findMany({ where: modelId === null ? {} : { modelId }, orderBy: { id: 'desc' }, take }),
    saveActive: (model) =>
      prisma.$transaction(async (tx) => {
        await tx.classifierModel.updateMany({ where: { modelId: model.modelId, isActive: true }, data: { isActive: false } });
        return tx.classifierModel.create({
          data: { ...model, artifact: cipher.encrypt(model.artifact, classifierAad(model.modelId)), isActive: true },
        });
      }),
  };
}
