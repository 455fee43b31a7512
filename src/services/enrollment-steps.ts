// The steps live sessions and photo enrollment share: analysing a frame
// (an undecodable image is an answer, not an error), the duplicate-identity
// check, building the templates, and what follows a stored enrollment
// (employeeChanged, gallery refresh, debounced retraining).
import { analyzeWithPaddedRetry } from '../vision/padded-analysis.js';
import type { AnalyzeOptions } from '../vision/types.js';
import { z } from 'zod';
import type { Logger } from 'pino';
import type { Config } from '../config.js';
import { PayloadTooLargeError } from '../domain/errors.js';
import type { EmployeeId } from '../domain/ids.js';
import { InvalidImageError } from '../engine/engine-errors.js';
import type { FaceEngine } from '../engine/face-engine.js';
import type { FrameCandidate } from '../enrollment/coverage.js';
import { checkDuplicateIdentity, defaultDuplicateThreshold, duplicateMessage } from '../enrollment/duplicate-identity.js';
import { DuplicateIdentityError } from '../enrollment/enrollment-errors.js';
import type { FrameInput } from '../enrollment/frame-feedback.js';
import type { LiveSessionStore } from '../enrollment/session-store.js';
import type { SessionRepository } from '../enrollment/session-repository.js';
import { buildTemplates } from '../enrollment/template-builder.js';
import type { EventPublisher } from '../events/event-bus.js';
import type { Employee } from '../generated/prisma/client.js';
import type { EmployeeRepository } from '../employees/employee-repository.js';
import type { EnrollmentRepository } from '../enrollment/enrollment-repository.js';
import type { NewTemplate, TemplateRepository } from '../recognition/template-repository.js';
import { bestAmongUnlisted } from '../enrollment/unlisted-faces.js';
import { employeeFieldSchemas } from './employee-service.js';
import type { RecognitionModels } from './recognition-models.js';
import type { TrainingService } from './training-service.js';
import type { LivenessService } from './liveness-service.js';

export interface EnrollmentServiceDeps {
  /** The employee re-enrolled must exist; a new one's code must be free. */
  employees: Pick<EmployeeRepository, 'getUnerased' | 'codeTaken'>;
  /** What a finished enrollment writes (employee, templates, session end, audit). */
  enrollments: EnrollmentRepository;
  config: Pick<
    Config,
    | 'ENROLLMENT_SESSION_TTL_SECONDS'
    | 'ENROLLMENT_RING_SECTORS'
    | 'ENROLLMENT_MIN_FRAMES_PER_SECTOR'
    | 'RECOGNITION_THRESHOLD'
    | 'AUGMENTATION_COUNT'
    | 'ENROLLMENT_APPROVAL'
  >;
  log: Logger;
  clock: () => Date;
  events: EventPublisher;
  faceEngine: FaceEngine | null;
  /** Sessions created before this are from a previous run. */
  startedAt: Date;
  sessions: SessionRepository;
  /** Where live sessions are kept: this process's memory by default, Redis with several instances. */
  liveSessions?: LiveSessionStore;
  /** Faces the gallery leaves out, for the duplicate-identity check. */
  templates: Pick<TemplateRepository, 'loadUnlisted'>;
  models: Pick<RecognitionModels, 'bestPerEmployee' | 'refreshEmployee'>;
  training: Pick<TrainingService, 'scheduleAutoRetrain'>;
  /** Camera frames judged not live are refused; the first of a session is reported. */
  liveness: Pick<LivenessService, 'enabled' | 'threshold' | 'report'>;
}

export const newEmployeeSchema = z.object({
  employeeCode: employeeFieldSchemas.employeeCode,
  fullName: employeeFieldSchemas.fullName,
  email: employeeFieldSchemas.email.optional(),
  department: employeeFieldSchemas.department.optional(),
});


export interface EnrollmentSteps {
  readonly log: Logger;
  /**
   * `camera`: a live session frame, judged for liveness; operator still photos are not (their
   * templates say source 'photo'), and a still that shows no face gets a second look on a padded
   * copy (ID-badge photos are cropped tight around the face).
   */
  readonly analyzeFrame: (engine: FaceEngine, bytes: Uint8Array, camera?: boolean) => Promise<FrameInput>;
  /** Throws DuplicateIdentityError when the face is already someone else's. */
  readonly duplicateCheck: (mean: Float32Array, exclude: EmployeeId | undefined) => Promise<void>;
  /** Sample, augmented and mean templates of the kept frames. */
  readonly templatesFor: (engine: FaceEngine, frames: FrameCandidate[], mean: Float32Array, seedKey: string, source: string, sessionId: string | null) => Promise<NewTemplate[]>;
  /** After the transaction: employeeChanged, gallery refresh, automatic retraining. */
  readonly afterStore: (employee: Employee, created: boolean) => Promise<void>;
}

export function createEnrollmentSteps(deps: EnrollmentServiceDeps): EnrollmentSteps {
  const log = deps.log.child({ component: 'enrollment' });
  const { config } = deps;

  const analyzeFrame = async (engine: FaceEngine, bytes: Uint8Array, camera = false): Promise<FrameInput> => {
    try {
      const options: AnalyzeOptions = { alignedCrops: true, liveness: camera && deps.liveness.enabled };
      const analysis = camera
        ? await engine.analyze(bytes, options)
        : await analyzeWithPaddedRetry((image, o) => engine.analyze(image, o), bytes, options);
      return { kind: 'analysis', analysis };
    } catch (error) {
      // An undecodable or oversized frame is feedback for the kiosk, not a failed request;
      // EngineBusyError (503) and the rest go to the caller as the engine raised them.
      if (error instanceof InvalidImageError || error instanceof PayloadTooLargeError) {
        return { kind: 'invalid_image', message: error.message };
      }
      throw error;
    }
  };

  const duplicateCheck = async (mean: Float32Array, exclude: EmployeeId | undefined): Promise<void> => {
    // The live gallery, and the faces it leaves out (deactivated, awaiting approval).
    const decision = await checkDuplicateIdentity(mean, async (e) => [
      ...(await deps.models.bestPerEmployee(e, 3)).map((m) => ({ employeeId: m.employeeId, similarity: m.score })),
      ...(deps.faceEngine ? bestAmongUnlisted(await deps.templates.loadUnlisted(deps.faceEngine.modelId), e, 3) : []),
    ], {
      threshold: defaultDuplicateThreshold(config.RECOGNITION_THRESHOLD),
      ...(exclude !== undefined ? { excludeEmployeeId: exclude } : {}),
    });
    if (decision.kind === 'duplicate') {
      throw new DuplicateIdentityError(duplicateMessage(decision), decision.employeeId, decision.similarity);
    }
  };

  const afterStore = async (employee: Employee, created: boolean): Promise<void> => {
    deps.events.publish('employeeChanged', { kind: created ? 'created' : 'updated', employeeId: employee.id, at: deps.clock().toISOString() });
    await deps.models
      .refreshEmployee(employee.id)
      .catch((error: unknown) => log.error({ err: error, employeeId: employee.id }, 'gallery refresh after enrollment failed'));
    deps.training.scheduleAutoRetrain();
  };

  const templatesFor = (engine: FaceEngine, frames: FrameCandidate[], mean: Float32Array, seedKey: string, source: string, sessionId: string | null) =>
    buildTemplates(engine, frames, mean, {
      augmentationCount: config.AUGMENTATION_COUNT,
      seedKey,
      source,
      sessionId,
      parallel: engine.stats().workers,
    });

  return { log, analyzeFrame, duplicateCheck, templatesFor, afterStore };
}
