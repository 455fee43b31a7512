// Faces the live gallery does not hold but that still belong to someone:
// deactivated employees and kiosk enrollments awaiting approval. The
// duplicate-identity check searches them too, so a person cannot be enrolled
// a second time under another name while their first record is switched off.
// (Erased people have no templates left to compare: erasure deletes them.)
import type { AppDeps } from '../context.js';
import { templateAad } from '../crypto/template-cipher.js';
import { employeeId as toEmployeeId } from '../domain/ids.js';
import { decodeEmbedding } from '../resolvers/face-templates.js';
import type { GalleryMatch } from './duplicate-identity.js';

/** Best cosine per unlisted employee against `embedding` (unit vectors), highest first, at most k. */
export async function bestAmongUnlisted(
  deps: Pick<AppDeps, 'prisma' | 'templateCipher'>,
  modelId: string,
  embedding: Float32Array,
  k: number,
): Promise<GalleryMatch[]> {
  const rows = await deps.prisma.faceTemplate.findMany({
    where: {
      modelId,
      kind: { in: ['sample', 'mean'] },
      employee: { erasedAt: null, OR: [{ isActive: false }, { awaitingApproval: true }] },
    },
    select: { employeeId: true, embedding: true },
  });
  const best = new Map<number, number>();
  for (const row of rows) {
    const stored = decodeEmbedding(deps.templateCipher.decrypt(row.embedding, templateAad(row.employeeId, modelId)));
    if (stored.length !== embedding.length) {
      continue;
    }
    let dot = 0;
    for (let i = 0; i < stored.length; i++) {
      dot += stored[i]! * embedding[i]!;
    }
    if (dot > (best.get(row.employeeId) ?? -Infinity)) {
      best.set(row.employeeId, dot);
    }
  }
  return [...best]
    .sort((a, b) => b[1] - a[1])
    .slice(0, k)
    .map(([id, similarity]) => ({ employeeId: toEmployeeId(id), similarity }));
}
