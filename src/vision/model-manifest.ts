// The manifest committed beside each model pack (models/<pack>/manifest.json):
// which files, their sha256, tensor names and shapes, and the model id that is
// stored with every face template made by the pack.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';

const dim = z.union([z.number().int(), z.string()]);
const tensorSpec = z.object({ name: z.string(), shape: z.array(dim) });

const modelFile = z.object({
  file: z.string(),
  sha256: z.string().regex(/^[0-9a-f]{64}$/),
  optional: z.boolean().default(false),
  input: tensorSpec,
  outputs: z.array(tensorSpec).min(1),
  preprocess: z.string().optional(),
  postprocess: z.string().optional(),
  /** A file the fetch script derives from `file` (patched in memory, written once). */
  derived: z
    .object({
      file: z.string(),
      patches: z.array(z.enum(['zero-denormals', 'symbolic-batch', 'pad-depthwise', 'prelu-depthwise'])),
      sha256: z.string().regex(/^([0-9a-f]{64})?$/),
    })
    .optional(),
});
export type ModelFileSpec = z.infer<typeof modelFile>;

export const manifestSchema = z.object({
  id: z.string().min(1),
  kind: z.literal('faceplugin'),
  description: z.string().optional(),
  source: z.object({ npm: z.string(), dir: z.string() }),
  embeddingSize: z.number().int().positive(),
  models: z.object({
    detector: modelFile,
    landmarks: modelFile,
    embedder: modelFile,
    liveness: modelFile.optional(),
  }),
});
export type PackManifest = z.infer<typeof manifestSchema>;

export function readManifest(packDir: string): PackManifest {
  const path = join(packDir, 'manifest.json');
  const parsed = manifestSchema.safeParse(JSON.parse(readFileSync(path, 'utf8')));
  if (!parsed.success) {
    throw new Error(`${path}: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
  }
  return parsed.data;
}

/** The file the runtime loads: the derived (patched) one when the manifest names one. */
export function runtimeFile(spec: ModelFileSpec): { file: string; sha256: string } {
  return spec.derived ? { file: spec.derived.file, sha256: spec.derived.sha256 } : { file: spec.file, sha256: spec.sha256 };
}

/** The runtime file of `spec` in `packDir`, its sha256 checked against the manifest (unless `verify` is false). */
export function modelPathIn(packDir: string, spec: ModelFileSpec, verify = true): string {
  const { file, sha256 } = runtimeFile(spec);
  const path = join(packDir, file);
  if (verify) {
    let got: string;
    try {
      got = createHash('sha256').update(readFileSync(path)).digest('hex');
    } catch {
      throw new Error(`model file ${path} is missing: run \`npm run models:fetch\``);
    }
    if (got !== sha256) {
      throw new Error(`model file ${path} has sha256 ${got}, manifest says ${sha256}: run \`npm run models:fetch\``);
    }
  }
  return path;
}
