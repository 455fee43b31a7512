// Re-encrypts every stored face embedding and classifier artifact under the
// cipher's current key: rows under an older key of the ring, and plaintext rows
// from before encryption existed. Used by `npm run keys:rotate-templates`;
// batched by id so memory stays flat on large galleries.
import type { PrismaClient } from '../generated/prisma/client.js';
import { classifierAad, templateAad, type TemplateCipher } from './template-cipher.js';

export interface ReencryptResult {
  templates: { rewritten: number; alreadyCurrent: number };
  classifiers: { rewritten: number; alreadyCurrent: number };
}

const BATCH = 500;

export async function reencryptBiometrics(prisma: PrismaClient, cipher: TemplateCipher): Promise<ReencryptResult> {
  const result: ReencryptResult = {
    templates: { rewritten: 0, alreadyCurrent: 0 },
    classifiers: { rewritten: 0, alreadyCurrent: 0 },
  };
  for (let after = 0; ; ) {
    const rows = await prisma.faceTemplate.findMany({
      where: { id: { gt: after } },
      select: { id: true, employeeId: true, modelId: true, embedding: true },
      orderBy: { id: 'asc' },
      take: BATCH,
    });
    if (rows.length === 0) {
      break;
    }
    for (const row of rows) {
      if (cipher.state(row.embedding) === 'current') {
        result.templates.alreadyCurrent += 1;
        continue;
      }
      const aad = templateAad(row.employeeId, row.modelId);
      const embedding = cipher.encrypt(cipher.decrypt(row.embedding, aad), aad);
      await prisma.faceTemplate.update({ where: { id: row.id }, data: { embedding } });
      result.templates.rewritten += 1;
    }
    after = rows[rows.length - 1]!.id;
  }
  // Artifacts are large (LONGBLOB): one at a time.
  const ids = await prisma.classifierModel.findMany({ select: { id: true }, orderBy: { id: 'asc' } });
  for (const { id } of ids) {
    const row = await prisma.classifierModel.findUnique({ where: { id }, select: { modelId: true, artifact: true } });
    if (row === null) {
      continue;
    }
    if (cipher.state(row.artifact) === 'current') {
      result.classifiers.alreadyCurrent += 1;
      continue;
    }
    const aad = classifierAad(row.modelId);
    await prisma.classifierModel.update({ where: { id }, data: { artifact: cipher.encrypt(cipher.decrypt(row.artifact, aad), aad) } });
    result.classifiers.rewritten += 1;
  }
  return result;
}

/** How many stored templates and artifacts are not under the current key (start-up warns about them). */
export async function countStaleBiometrics(prisma: PrismaClient, cipher: TemplateCipher): Promise<number> {
  const prefix = Buffer.from(cipher.currentPrefix);
  const [templates, classifiers] = await Promise.all([
    prisma.$queryRaw<{ n: bigint }[]>`SELECT COUNT(*) AS n FROM FaceTemplate WHERE LEFT(embedding, 8) <> ${prefix}`,
    prisma.$queryRaw<{ n: bigint }[]>`SELECT COUNT(*) AS n FROM ClassifierModel WHERE LEFT(artifact, 8) <> ${prefix}`,
  ]);
  return Number(templates[0]?.n ?? 0) + Number(classifiers[0]?.n ?? 0);
}
