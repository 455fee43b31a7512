// Faces the live gallery does not hold but that still belong to someone:
// deactivated employees and kiosk enrollments awaiting approval
// (TemplateRepository.loadUnlisted). The duplicate-identity check searches
// them too, so a person cannot be enrolled a second time under another name
// while their first record is switched off. (Erased people have no templates
// left to compare: erasure deletes them.)
import { employeeId as toEmployeeId } from '../domain/ids.js';
import type { StoredTemplate } from '../recognition/template-repository.js';
import type { GalleryMatch } from './duplicate-identity.js';

/** Best cosine per employee against `embedding` (unit vectors), highest first, at most k. */
export function bestAmongUnlisted(templates: readonly StoredTemplate[], embedding: Float32Array, k: number): GalleryMatch[] {
  const best = new Map<number, number>();
  for (const t of templates) {
    if (t.embedding.length !== embedding.length) {
      continue;
    }
    let dot = 0;
    for (let i = 0; i < embedding.length; i++) {
      dot += t.embedding[i]! * embedding[i]!;
    }
    const id = Number(t.employeeId);
    if (dot > (best.get(id) ?? -Infinity)) {
      best.set(id, dot);
    }
  }
  return [...best]
    .sort((a, b) => b[1] - a[1])
    .slice(0, k)
    .map(([id, similarity]) => ({ employeeId: toEmployeeId(id), similarity }));
}
