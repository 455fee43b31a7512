// `detect <image>`: boxes, scores, five landmarks and quality of every face.
import type { CliContext } from './cli-pipeline.js';
import { readImage, round } from './cli-pipeline.js';

export async function detectCommand(ctx: CliContext, image: string): Promise<void> {
  const r = await ctx.pipeline.analyzeImage(readImage(image), { embed: false });
  const out = {
    image,
    width: r.width,
    height: r.height,
    modelId: r.modelId,
    faces: r.faces.map((f) => ({
      box: f.box.map((v) => round(v, 1)),
      score: round(f.score),
      landmarks: f.landmarks.map(([x, y]) => [round(x, 1), round(y, 1)]),
      quality: f.quality,
    })),
    timingsMs: r.timings,
  };
  process.stdout.write(`${JSON.stringify(out, null, 2)}\n`);
}
