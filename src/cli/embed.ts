// `embed <image>`: the L2-normalised embedding of every face.
import type { CliContext } from './cli-pipeline.js';
import { readImage, round } from './cli-pipeline.js';

export async function embedCommand(ctx: CliContext, image: string): Promise<void> {
  const r = await ctx.pipeline.analyzeImage(readImage(image));
  const out = {
    image,
    modelId: r.modelId,
    faces: r.faces.map((f) => ({
      box: f.box.map((v) => round(v, 1)),
      score: round(f.score),
      embedding: Array.from(f.embedding ?? [], (v) => round(v, 6)),
    })),
  };
  process.stdout.write(`${JSON.stringify(out)}\n`);
}
