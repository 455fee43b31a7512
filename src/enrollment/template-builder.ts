// From kept enrollment frames to stored templates: AUGMENTATION_COUNT variants
// of each aligned crop (augmentEncodedCrop) and their embeddings (engine
// workers), ready for replaceTemplatesInTx. Shared by live sessions and photo
// enrollment.
import { setImmediate as yieldToLoop } from 'node:timers/promises';
import type { FaceEngine } from '../engine/face-engine.js';
import type { FrameCandidate } from './coverage.js';
import { augmentEncodedCrop } from './decode-crop.js';
import type { NewTemplate } from '../recognition/template-repository.js';

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
 * Augmented variants of the crops, embedded: inside the engine's workers when it
 * offers augmentAndEmbed (PoolFaceEngine), else augmented here (plain JS, ~1-2 ms a
 * variant, yielding to the event loop after every crop) and embedded by the engine.
 */
async function augmentAndEmbed(engine: FaceEngine, crops: Uint8Array[], count: number, seeds: number[]): Promise<Float32Array[]> {
  if (engine.augmentAndEmbed) {
    return engine.augmentAndEmbed(crops, count, seeds);
  }
  const variants: Uint8Array[] = [];
  for (const [i, crop] of crops.entries()) {
    variants.push(...(await augmentEncodedCrop(crop, count, seeds[i] ?? i)));
    await yieldToLoop();
  }
  return engine.embedAligned(variants);
}

/**
 * Sample, augmented and mean templates for the kept frames; the variants are
 * computed in `parallel` batches so every worker takes a share.
 */
export async function buildTemplates(
  engine: FaceEngine,
  frames: readonly FrameCandidate[],
  meanEmbedding: Float32Array,
  opts: { augmentationCount: number; seedKey: string; source: string; sessionId: string | null; parallel: number },
): Promise<NewTemplate[]> {
  const base = hashSeed(opts.seedKey);
  const withCrop = frames.filter((f): f is FrameCandidate & { alignedJpeg: Uint8Array } => f.alignedJpeg !== undefined);
  const count = opts.augmentationCount;
  const embedded: Float32Array[] = [];
  const qualities: number[] = [];
  if (count > 0 && withCrop.length > 0) {
    // Frames split into one batch per worker, so every worker augments and embeds a share.
    const perBatch = Math.max(1, Math.ceil(withCrop.length / Math.max(1, opts.parallel)));
    const batches: (typeof withCrop)[] = [];
    for (let i = 0; i < withCrop.length; i += perBatch) {
      batches.push(withCrop.slice(i, i + perBatch));
    }
    const results = await Promise.all(
      batches.map((batch) => augmentAndEmbed(engine, batch.map((f) => f.alignedJpeg), count, batch.map((f) => (base + f.frameNumber) >>> 0))),
    );
    results.forEach((vectors, b) => {
      embedded.push(...vectors);
      for (const f of batches[b] ?? []) {
        qualities.push(...Array.from({ length: count }, () => f.qualityScore));
      }
    });
  }

  const sessionId = opts.sessionId;
  const samples: NewTemplate[] = frames.flatMap((f) =>
    f.embedding ? [{ embedding: f.embedding, quality: f.qualityScore, kind: 'sample' as const, source: opts.source, enrollmentSessionId: sessionId }] : [],
  );
  const augmented: NewTemplate[] = embedded.map((embedding, i) => ({
    embedding,
    quality: qualities[i] ?? 0,
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
