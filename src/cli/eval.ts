// `eval --pairs <csv> --images <dir> [--json]`: verification accuracy over a pairs file.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { isImageDecodeError } from '../vision/image-errors.js';
import { cosine } from '../vision/pixels.js';
import { mainFace, readImage, round, type CliContext } from './cli-pipeline.js';
import { evaluate, type EvalMetrics, type ScoredPair } from './eval-metrics.js';
import { parsePairsCsv } from './pairs.js';

export interface EvalReport extends EvalMetrics {
  images: number;
  imagesWithoutFace: string[];
  invalidImages: { image: string; error: string }[];
  pairsSkipped: number;
}

export async function evalCommand(ctx: CliContext, pairsFile: string, imagesDir: string, json: boolean): Promise<void> {
  const pairs = parsePairsCsv(readFileSync(pairsFile, 'utf8'));
  const images = [...new Set(pairs.flatMap((p) => [p.a, p.b]))];
  const embeddings = new Map<string, Float32Array>();
  const imagesWithoutFace: string[] = [];
  const invalidImages: EvalReport['invalidImages'] = [];
  for (const image of images) {
    try {
      const face = mainFace(await ctx.pipeline.analyzeImage(readImage(join(imagesDir, image))));
      if (face?.embedding) {
        embeddings.set(image, face.embedding);
      } else {
        imagesWithoutFace.push(image);
      }
    } catch (err) {
      if (!isImageDecodeError(err)) {throw err;}
      invalidImages.push({ image, error: err.message });
    }
  }
  const scored: (ScoredPair & { a: string; b: string })[] = [];
  for (const p of pairs) {
    const ea = embeddings.get(p.a);
    const eb = embeddings.get(p.b);
    if (ea && eb) {scored.push({ a: p.a, b: p.b, same: p.same, score: cosine(ea, eb) });}
  }
  const report: EvalReport = {
    ...evaluate(scored, ctx.config.RECOGNITION_THRESHOLD),
    images: images.length,
    imagesWithoutFace,
    invalidImages,
    pairsSkipped: pairs.length - scored.length,
  };
  if (json) {
    process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
    return;
  }
  const pct = (v: number): string => `${(v * 100).toFixed(2)}%`;
  const lines = [
    `pairs evaluated        ${report.pairs} (${report.positives} same, ${report.negatives} different; ${report.pairsSkipped} skipped)`,
    `images                 ${report.images}, without a face: ${imagesWithoutFace.length ? imagesWithoutFace.join(', ') : 'none'}`,
    ...(invalidImages.length ? [`invalid images         ${invalidImages.map((i) => i.image).join(', ')}`] : []),
    `AUC                    ${report.auc.toFixed(4)}`,
    `best threshold         ${round(report.bestThreshold)} -> accuracy ${pct(report.bestAccuracy)}`,
    `configured threshold   ${report.threshold} -> accuracy ${pct(report.accuracyAtThreshold)}`,
    `TAR @ FAR 1%           ${pct(report.tarAtFar1.tar)} (threshold ${round(report.tarAtFar1.threshold)})`,
    `TAR @ FAR 0.1%         ${pct(report.tarAtFar01.tar)} (threshold ${round(report.tarAtFar01.threshold)})`,
    `lowest same pair       ${round(report.minPositive)}, highest different pair ${round(report.maxNegative)}`,
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
}
