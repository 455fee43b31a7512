import { describe, expect, it } from 'vitest';
import { selectTemplates } from '../../../src/recognition/svm/template-select.js';
import { syntheticTrainingSet } from '../../../src/recognition/svm/synthetic-embeddings.js';
import { packUnitRows } from '../../../src/recognition/svm/vectors.js';

describe('selectTemplates', () => {
  const dim = 32;
  const base = syntheticTrainingSet({ classes: 2, perClass: 6, dim, seed: 4 });
  // Class 0: 6 distinct templates + 6 exact duplicates of the first one.
  const vectors = [...base.vectors.slice(0, 6), ...Array.from({ length: 6 }, () => base.vectors[0] as Float32Array), ...base.vectors.slice(6)];
  const classOf = Int32Array.from([...Array<number>(12).fill(0), ...Array<number>(6).fill(1)]);
  const rows = packUnitRows(vectors, dim);

  it('keeps everything under the cap', () => {
    expect(Array.from(selectTemplates(rows, dim, classOf, 2, 40))).toEqual(Array.from({ length: 18 }, (_, i) => i));
  });

  it('caps per class and prefers diverse templates over duplicates', () => {
    const kept = Array.from(selectTemplates(rows, dim, classOf, 2, 6));
    expect(kept.filter((i) => i < 12)).toHaveLength(6);
    expect(kept.filter((i) => i >= 12)).toHaveLength(6);
    // Farthest-point sampling takes at most one copy of the duplicated template.
    const dupes = kept.filter((i) => i === 0 || (i >= 6 && i < 12));
    expect(dupes.length).toBeLessThanOrEqual(1);
  });

  it('uses qualities to avoid low-quality outliers', () => {
    const qualities = vectors.map((_, i) => (i === 3 ? 0 : 1));
    const kept = Array.from(selectTemplates(rows, dim, classOf, 2, 2, qualities));
    expect(kept.filter((i) => i < 12)).not.toContain(3);
  });
});
