// Template import: face embeddings made by another installation of the same model pack
// (migration), or a big gallery loaded for tests. Imported templates are ordinary stored
// templates (kind 'sample', source 'import'): they train the classifier, take part in the
// duplicate-identity check of later enrollments, are searched by recognition and erased with
// the employee. Bad input is refused as a whole, nothing stored.
import type { Logger } from 'pino';
import type { Config } from '../config.js';
import { actorOf, type Caller } from '../auth/caller.js';
import { UnavailableError, ValidationError, type ValidationIssue } from '../domain/errors.js';
import { employeeId as toEmployeeId } from '../domain/ids.js';
import type { FaceEngine } from '../engine/face-engine.js';
import { checkDuplicateIdentity, defaultDuplicateThreshold, duplicateMessage } from '../enrollment/duplicate-identity.js';
import { DuplicateIdentityError } from '../enrollment/enrollment-errors.js';
import type { EventPublisher } from '../events/event-bus.js';
import type { EmployeeRepository } from '../employees/employee-repository.js';
import type { NewTemplate, TemplateRepository } from '../recognition/template-repository.js';
import type { RecognitionModels } from './recognition-models.js';
import type { TrainingService } from './training-service.js';

/** Vectors accepted per request (a 512-d batch of 200 is ~2 MB of JSON). */
export const MAX_IMPORT_VECTORS = 200;

export interface ImportTemplatesInput {
  /** Must be the loaded model pack (GET /api/v1/system/info model_pack.loaded). */
  modelId: string;
  embeddings: readonly (readonly number[])[];
  /** true: the employee's templates of this pack are replaced; false (default): added. */
  replace?: boolean;
}

export interface TemplateImportService {
  importTemplates(caller: Caller | null, employeeId: number, input: ImportTemplatesInput): Promise<{ employeeId: number; templates: number }>;
}

export interface TemplateImportDeps {
  /** The employee must exist and not be erased. */
  employees: Pick<EmployeeRepository, 'getUnerased'>;
  /** Written encrypted (src/crypto/template-cipher.ts). */
  templates: Pick<TemplateRepository, 'add'>;
  config: Pick<Config, 'RECOGNITION_THRESHOLD'>;
  log: Logger;
  clock: () => Date;
  events: EventPublisher;
  faceEngine: Pick<FaceEngine, 'modelId' | 'embeddingSize'> | null;
  models: Pick<RecognitionModels, 'bestPerEmployee' | 'refreshEmployee'>;
  training: Pick<TrainingService, 'scheduleAutoRetrain'>;
}

/** Unit vectors, or every problem found (paths as the request names them). */
export function validateEmbeddings(input: ImportTemplatesInput, loaded: string, dim: number): Float32Array[] {
  const issues: ValidationIssue[] = [];
  if (input.modelId !== loaded) {
    issues.push({ path: ['modelId'], message: `templates of model pack "${input.modelId}" cannot be used: the loaded pack is "${loaded}"` });
  }
  if (input.embeddings.length === 0 || input.embeddings.length > MAX_IMPORT_VECTORS) {
    issues.push({ path: ['embeddings'], message: `1 to ${MAX_IMPORT_VECTORS} vectors per request, got ${input.embeddings.length}` });
  }
  const out: Float32Array[] = [];
  input.embeddings.slice(0, MAX_IMPORT_VECTORS).forEach((v, i) => {
    if (v.length !== dim) {
      issues.push({ path: ['embeddings', i], message: `has ${v.length} values, the loaded pack's embeddings have ${dim}` });
      return;
    }
    let norm = 0;
    for (const x of v) {
      norm += x * x;
    }
    if (!v.every((x) => Number.isFinite(x)) || !Number.isFinite(norm)) {
      issues.push({ path: ['embeddings', i], message: 'holds a value that is not a finite number' });
      return;
    }
    if (norm === 0) {
      issues.push({ path: ['embeddings', i], message: 'is all zeros' });
      return;
    }
    const inv = 1 / Math.sqrt(norm);
    out.push(Float32Array.from(v, (x) => x * inv));
  });
  if (issues.length > 0) {
    throw new ValidationError(issues);
  }
  return out;
}

export function createTemplateImportService(deps: TemplateImportDeps): TemplateImportService {
  const log = deps.log.child({ component: 'template-import' });
  return {
    async importTemplates(caller, id, input) {
      const engine = deps.faceEngine;
      if (!engine) {
        throw new UnavailableError('face models not installed: run npm run models:fetch');
      }
      await deps.employees.getUnerased(id);
      const vectors = validateEmbeddings(input, engine.modelId, engine.embeddingSize);
      // Same rule as enrollment: these faces must not already be someone else's.
      const mean = new Float32Array(engine.embeddingSize);
      for (const v of vectors) {
        v.forEach((x, j) => (mean[j]! += x));
      }
      const decision = await checkDuplicateIdentity(
        mean,
        async (e) => (await deps.models.bestPerEmployee(e, 3)).map((m) => ({ employeeId: m.employeeId, similarity: m.score })),
        { threshold: defaultDuplicateThreshold(deps.config.RECOGNITION_THRESHOLD), excludeEmployeeId: toEmployeeId(id) },
      );
      if (decision.kind === 'duplicate') {
        throw new DuplicateIdentityError(duplicateMessage(decision), decision.employeeId, decision.similarity);
      }
      const templates: NewTemplate[] = vectors.map((embedding) => ({ embedding, quality: 1, kind: 'sample', source: 'import' }));
      const stored = await deps.templates.add(id, engine.modelId, templates, { replace: input.replace ?? false });
      log.info({ employeeId: id, imported: vectors.length, replace: input.replace ?? false, stored, by: actorOf(caller) }, 'templates imported');
      deps.events.publish('employeeChanged', { kind: 'updated', employeeId: id, at: deps.clock().toISOString() });
      await deps.models.refreshEmployee(id).catch((error: unknown) => log.error({ err: error, employeeId: id }, 'gallery refresh after import failed'));
      deps.training.scheduleAutoRetrain();
      return { employeeId: id, templates: vectors.length };
    },
  };
}
