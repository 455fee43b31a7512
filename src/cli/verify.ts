// `verify <a> <b>`: cosine similarity of the main faces, same/different at RECOGNITION_THRESHOLD.
import { cosine } from '../vision/pixels.js';
import { CliError, mainFace, readImage, round, type CliContext } from './cli-pipeline.js';

export async function verifyCommand(ctx: CliContext, a: string, b: string, json: boolean): Promise<void> {
  const embedding = async (path: string): Promise<Float32Array> => {
    const face = mainFace(await ctx.pipeline.analyzeImage(readImage(path)));
    if (!face?.embedding) {
      throw new CliError(`no face found in ${path}`);
    }
    return face.embedding;
  };
  const [ea, eb] = [await embedding(a), await embedding(b)];
  const similarity = cosine(ea, eb);
  const threshold = ctx.config.RECOGNITION_THRESHOLD;
  const same = similarity >= threshold;
  if (json) {
    process.stdout.write(`${JSON.stringify({ a, b, similarity: round(similarity), threshold, same })}\n`);
  } else {
    process.stdout.write(`similarity ${similarity.toFixed(4)} -> ${same ? 'same person' : 'different people'} (threshold ${threshold})\n`);
  }
}
