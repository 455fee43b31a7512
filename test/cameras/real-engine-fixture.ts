// The real face engine (worker pool, faceplugin models) and the real
// recognizer over a gallery enrolled from ../shared/faces/people, for the
// camera pipeline's end-to-end test and benchmark.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { RecognizeFaces } from '../../src/cameras/face-decision.js';
import { employeeId, modelPackId, type EmployeeId } from '../../src/domain/ids.js';
import type { PoolFaceEngine } from '../../src/engine/pool-face-engine.js';
import { startTestEngine, testPipelineConfig } from '../helpers/test-engine.js';
import { decisionParams } from '../../src/recognition/decision-rules.js';
import { Recognizer } from '../../src/recognition/recognizer.js';
import { Gallery } from '../../src/vision/gallery.js';
import type { PipelineConfig } from '../../src/vision/pack-config.js';
import { FACES_DIR } from '../helpers/shared-faces.js';

export const pipelineConfig: PipelineConfig = testPipelineConfig;

export interface RealParts {
  engine: PoolFaceEngine;
  recognize: RecognizeFaces;
  nameOf: Map<EmployeeId, string>;
}

export async function realParts(workers = 2, pipeline: PipelineConfig = pipelineConfig): Promise<RealParts> {
  const engine = await startTestEngine({ workers, queueLimit: 32, pipeline });
  const peopleDir = join(FACES_DIR, 'people');
  const names = readdirSync(peopleDir).sort();
  const nameOf = new Map<EmployeeId, string>();
  const rows: { employeeId: EmployeeId; embedding: Float32Array }[] = [];
  for (const [i, name] of names.entries()) {
    const id = employeeId(i + 1);
    nameOf.set(id, name);
    for (const file of readdirSync(join(peopleDir, name)).sort()) {
      const analysis = await engine.analyze(readFileSync(join(peopleDir, name, file)));
      const face = analysis.faces[0];
      if (face?.embedding === undefined) {
        throw new Error(`no face in ${name}/${file}`);
      }
      rows.push({ employeeId: id, embedding: face.embedding });
    }
  }
  const recognizer = new Recognizer(modelPackId(engine.modelId), decisionParams({ threshold: 0.45, margin: 0.08 }), {
    gallery: Gallery.fromRows(rows),
  });
  const recognize: RecognizeFaces = (faces) =>
    recognizer.recognize(
      faces.map((f) => f.embedding),
      faces.map((f) => f.quality),
    );
  return { engine, recognize, nameOf };
}
