// Face templates in the database: the embedding codec (Float32 little-endian
// bytes, 2048 bytes for 512-d, stored AES-256-GCM encrypted under
// TEMPLATE_ENCRYPTION_KEY: src/crypto/template-cipher.ts) and the queries
// enrollment, training and the recognition models need. Embeddings of
// different model packs never meet: every read filters by modelId.
import type { Prisma, PrismaClient } from '../generated/prisma/client.js';
import { employeeId, type EmployeeId, type ModelPackId } from '../domain/ids.js';
import { templateAad, type TemplateCipher } from '../crypto/template-cipher.js';

export type TemplateKind = 'sample' | 'augmented' | 'mean';

export interface NewTemplate {
  embedding: Float32Array;
  /** 0..1 quality score of the frame the template came from. */
  quality: number;
  kind: TemplateKind;
  /** Where it came from, e.g. 'enrollment', 'photo', 'seed'. */
  source: string;
  enrollmentSessionId?: string | null;
}

export interface StoredTemplate {
  id: number;
  employeeId: EmployeeId;
  embedding: Float32Array;
  quality: number;
  kind: TemplateKind;
}

/** Float32 LE bytes of an embedding (copied: the caller's array may be a view of a larger buffer). */
export function encodeEmbedding(embedding: Float32Array): Uint8Array<ArrayBuffer> {
  const out = new Uint8Array(embedding.length * 4);
  const view = new DataView(out.buffer);
  embedding.forEach((v, i) => view.setFloat32(i * 4, v, true));
  return out;
}

export function decodeEmbedding(bytes: Uint8Array): Float32Array {
  if (bytes.byteLength % 4 !== 0) {
    throw new RangeError(`embedding blob of ${bytes.byteLength} bytes is not a whole number of float32`);
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const out = new Float32Array(bytes.byteLength / 4);
  for (let i = 0; i < out.length; i++) {
    out[i] = view.getFloat32(i * 4, true);
  }
  return out;
}

/** Where templates can be written: the client, or a transaction of it. */
export type TemplateWriter = Pick<Prisma.TransactionClient, 'faceTemplate'>;

/** Stores templates for one employee under a model pack; returns how many were written. */
export async function storeTemplates(
  db: TemplateWriter,
  cipher: TemplateCipher,
  employee: EmployeeId | number,
  modelId: ModelPackId | string,
  templates: readonly NewTemplate[],
): Promise<number> {
  if (templates.length === 0) {
    return 0;
  }
  const result = await db.faceTemplate.createMany({
    data: templates.map((t) => ({
      employeeId: employee,
      modelId,
      embedding: cipher.encrypt(encodeEmbedding(t.embedding), templateAad(employee, modelId)),
      quality: t.quality,
      kind: t.kind,
      source: t.source,
      enrollmentSessionId: t.enrollmentSessionId ?? null,
    })),
  });
  return result.count;
}

export interface TemplateRepository {
  /**
   * Templates of one model pack, of active (not erased) employees unless
   * `includeInactive`; optionally only some employees or kinds.
   */
  load(
    modelId: ModelPackId | string,
    opts?: { employeeIds?: readonly number[]; kinds?: readonly TemplateKind[]; includeInactive?: boolean },
  ): Promise<StoredTemplate[]>;
  /**
   * Sample and mean templates of people the recognition gallery leaves out but who
   * still have a face on file: deactivated employees and kiosk enrollments awaiting
   * approval (the duplicate-identity check searches them too).
   */
  loadUnlisted(modelId: ModelPackId | string): Promise<StoredTemplate[]>;
  /**
   * Adds the templates to the employee's of this model pack, or replaces those (one
   * transaction); resolves with how many the employee then has of this pack.
   */
  add(employee: EmployeeId | number, modelId: ModelPackId | string, templates: readonly NewTemplate[], options: { replace: boolean }): Promise<number>;
}

/** Who the gallery recognizes: active, not erased, approved. */
const RECOGNIZABLE = { isActive: true, erasedAt: null, awaitingApproval: false } as const;

export function createTemplateRepository(prisma: PrismaClient, cipher: TemplateCipher): TemplateRepository {
  type Row = { id: number; employeeId: number; embedding: Uint8Array; quality: number; kind: TemplateKind };
  const toStored = (modelId: string, r: Row): StoredTemplate => ({
    id: r.id,
    employeeId: employeeId(r.employeeId),
    embedding: decodeEmbedding(cipher.decrypt(r.embedding, templateAad(r.employeeId, modelId))),
    quality: r.quality,
    kind: r.kind,
  });
  return {
    async add(employee, modelId, templates, { replace }) {
      await prisma.$transaction(async (tx) => {
        if (replace) {
          await replaceTemplatesInTx(tx, cipher, employee, modelId, templates);
        } else {
          await storeTemplates(tx, cipher, employee, modelId, templates);
        }
      });
      return prisma.faceTemplate.count({ where: { employeeId: employee, modelId } });
    },
    async loadUnlisted(modelId) {
      const rows = await prisma.faceTemplate.findMany({
        where: {
          modelId,
          kind: { in: ['sample', 'mean'] },
          employee: { erasedAt: null, OR: [{ isActive: false }, { awaitingApproval: true }] },
        },
        select: { id: true, employeeId: true, embedding: true, quality: true, kind: true },
        orderBy: { id: 'asc' },
      });
      return rows.map((r) => toStored(modelId, r));
    },
    async load(modelId, opts = {}) {
      const rows = await prisma.faceTemplate.findMany({
        where: {
          modelId,
          ...(opts.employeeIds ? { employeeId: { in: [...opts.employeeIds] } } : {}),
          ...(opts.kinds ? { kind: { in: [...opts.kinds] } } : {}),
          ...(opts.includeInactive ? {} : { employee: RECOGNIZABLE }),
        },
        select: { id: true, employeeId: true, embedding: true, quality: true, kind: true },
        orderBy: { id: 'asc' },
      });
      return rows.map((r) => toStored(modelId, r));
    },
  };
}

/** Replaces the employee's templates of this model pack with `templates`, inside the caller's transaction. */
export async function replaceTemplatesInTx(
  tx: Prisma.TransactionClient,
  cipher: TemplateCipher,
  employee: EmployeeId | number,
  modelId: ModelPackId | string,
  templates: readonly NewTemplate[],
): Promise<void> {
  await tx.faceTemplate.deleteMany({ where: { employeeId: employee, modelId } });
  await storeTemplates(tx, cipher, employee, modelId, templates);
}
