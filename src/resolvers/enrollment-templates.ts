// From kept enrollment frames to stored templates: AUGMENTATION_COUNT variants
// of each aligned crop (augmentEncodedCrop), their embeddings (engine workers),
// and the rows written in the caller's transaction. Shared by live sessions and
// photo enrollment.
import { setImmediate as yieldToLoop } from 'node:timers/promises';
import type { FaceEngine } from '../engine/face-engine.js';
import type { FrameCandidate } from '../enrollment/coverage.js';
import { augmentEncodedCrop } from '../enrollment/decode-crop.js';
import type { Prisma } from '../generated/prisma/client.js';
import { encodeEmbedding, type NewTemplate } from './face-templates.js';

export interface TemplateCounts {
  samples: number;
  augmented: number;
  mean: number;
  total: number;
}

/** FNV-1a of a string: a stable augmentation seed per session. */
function hashSeed(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
  }
  return h >>> 0;
}

/**
 * Sample, augmented and mean templates for the kept frames. Augmentation is
 * plain JS on the main thread (~1-2 ms a variant), so it yields to the event
 * loop after every frame; the embeddings are computed in the worker pool, split
 * into `parallel` batches so every worker takes a share.
 */
export async function buildTemplates(
  engine: FaceEngine,
  frames: readonly FrameCandidate[],
  meanEmbedding: Float32Array,
  opts: { augmentationCount: number; seedKey: string; source: string; sessionId: string | null; parallel: number },
): Promise<NewTemplate[]> {
  const base = hashSeed(opts.seedKey);
  const crops: { crop: Uint8Array; quality: number }[] = [];
  if (opts.augmentationCount > 0) {
    for (const frame of frames) {
      if (frame.alignedJpeg === undefined) {
        continue;
      }
      const variants = await augmentEncodedCrop(frame.alignedJpeg, opts.augmentationCount, (base + frame.frameNumber) >>> 0);
      for (const crop of variants) {
        crops.push({ crop, quality: frame.qualityScore });
      }
      await yieldToLoop();
    }
  }
  const batchSize = Math.max(1, Math.ceil(crops.length / Math.max(1, opts.parallel)));
  const batches: (typeof crops)[] = [];
  for (let i = 0; i < crops.length; i += batchSize) {
    batches.push(crops.slice(i, i + batchSize));
  }
  const embedded = (await Promise.all(batches.map((b) => engine.embedAligned(b.map((c) => c.crop))))).flat();

  const sessionId = opts.sessionId;
  const samples: NewTemplate[] = frames.flatMap((f) =>
    f.embedding ? [{ embedding: f.embedding, quality: f.qualityScore, kind: 'sample' as const, source: opts.source, enrollmentSessionId: sessionId }] : [],
  );
  const augmented: NewTemplate[] = embedded.map((embedding, i) => ({
    embedding,
    quality: crops[i]?.quality ?? 0,
    kind: 'augmented' as const,
    source: opts.source,
    enrollmentSessionId: sessionId,
  }));
  const meanQuality = frames.reduce((s, f) => s + f.qualityScore, 0) / Math.max(1, frames.length);
  const mean: NewTemplate = { embedding: meanEmbedding, quality: meanQuality, kind: 'mean', source: opts.source, enrollmentSessionId: sessionId };
  return [...samples, ...augmented, mean];
}

export function countTemplates(templates: readonly NewTemplate[]): TemplateCounts {
  const count = (k: NewTemplate['kind']): number => templates.filter((t) => t.kind === k).length;
  return { samples: count('sample'), augmented: count('augmented'), mean: count('mean'), total: templates.length };
}

/** Replaces the employee's templates of this model pack with `templates`, inside the caller's transaction. */
export async function replaceTemplatesInTx(
  tx: Prisma.TransactionClient,
  employeeId: number,
  modelId: string,
  templates: readonly NewTemplate[],
): Promise<void> {
  await tx.faceTemplate.deleteMany({ where: { employeeId, modelId } });
  await tx.faceTemplate.createMany({
    data: templates.map((t) => ({
      employeeId,
      modelId,
      embedding: encodeEmbedding(t.embedding),
      quality: t.quality,
      kind: t.kind,
      source: t.source,
      enrollmentSessionId: t.enrollmentSessionId ?? null,
    })),
  });
}
