// Trained SVMs in the database (ClassifierModel rows): at most one active row
// per model pack. Training writes a new one; the recognition models read the
// active one at load; GraphQL and REST list them.
import type { ClassifierModel, Prisma, PrismaClient } from '../generated/prisma/client.js';
import type { ModelPackId } from '../domain/ids.js';

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
  /** Stores `model` as the pack's active one and deactivates the others, in one transaction. */
  saveActive(model: NewClassifierModel): Promise<ClassifierModel>;
}

export function createClassifierModelRepository(prisma: PrismaClient): ClassifierModelRepository {
  return {
    active: (modelId) => prisma.classifierModel.findFirst({ where: { modelId, isActive: true }, orderBy: { id: 'desc' } }),
    list: (modelId, take) =>
      prisma.classifierModel.findMany({ where: modelId === null ? {} : { modelId }, orderBy: { id: 'desc' }, take }),
    saveActive: (model) =>
      prisma.$transaction(async (tx) => {
        await tx.classifierModel.updateMany({ where: { modelId: model.modelId, isActive: true }, data: { isActive: false } });
        return tx.classifierModel.create({ data: { ...model, isActive: true } });
      }),
  };
}
