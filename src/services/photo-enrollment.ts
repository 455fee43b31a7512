// Enrollment of an existing employee from still photos (one face each): every
// photo judged, the set checked for one consistent identity and against
// everyone else, the templates replaced in one transaction.
import type { Caller } from '../auth/caller.js';
import { ValidationError } from '../domain/errors.js';
import { employeeId as toEmployeeId } from '../domain/ids.js';
import { requireFaceEngine } from '../engine/require-face-engine.js';
import { planPhotoEnrollment } from '../enrollment/completion.js';
import { InconsistentIdentityError, PhotosRejectedError } from '../enrollment/enrollment-errors.js';
import type { PhotoEnrollmentResult } from '../enrollment/enrollment-views.js';
import { evaluatePhoto, type PhotoVerdict } from '../enrollment/photo-verdict.js';
import { countTemplates } from '../enrollment/template-builder.js';
import type { EnrollmentServiceDeps, EnrollmentSteps } from './enrollment-steps.js';

export const MAX_PHOTOS = 20;

export interface PhotoEnrollment {
  enrollFromPhotos(caller: Caller | null, employeeId: number, photos: readonly Uint8Array[]): Promise<PhotoEnrollmentResult>;
}

export function createPhotoEnrollment(deps: EnrollmentServiceDeps, steps: EnrollmentSteps): PhotoEnrollment {
  const { log, analyzeFrame, duplicateCheck, templatesFor, afterStore } = steps;
  return {
    async enrollFromPhotos(caller, employeeId, photos) {
      const engine = requireFaceEngine(deps);
      if (photos.length === 0 || photos.length > MAX_PHOTOS) {
        throw new ValidationError([{ path: ['photos'], message: `must hold 1 to ${MAX_PHOTOS} photos` }]);
      }
      await deps.employees.getUnerased(employeeId);
      const verdicts: PhotoVerdict[] = await Promise.all(
        photos.map(async (bytes, i) => evaluatePhoto(await analyzeFrame(engine, bytes), i)),
      );
      const plan = planPhotoEnrollment(verdicts);
      if (!plan.ok) {
        if (plan.reason === 'bad_photos') {
          throw new PhotosRejectedError(
            plan.message,
            plan.rejected.map((r) => ({ index: r.index, reason: r.reason, message: r.message, faceCount: r.faceCount })),
          );
        }
        if (plan.reason === 'inconsistent_identity') {
          throw new InconsistentIdentityError(plan.message);
        }
        throw new PhotosRejectedError(plan.message, []);
      }
      await duplicateCheck(plan.meanEmbedding, toEmployeeId(employeeId));
      const seedKey = `photos:${employeeId}:${deps.clock().getTime()}`;
      const templates = await templatesFor(engine, plan.frames, plan.meanEmbedding, seedKey, 'photo', null);
      const employee = await deps.enrollments.storePhotos(caller, employeeId, engine.modelId, templates, {
        photos: photos.length,
        modelId: engine.modelId,
        templates: countTemplates(templates),
      });
      log.info({ employeeId, photos: photos.length, templates: templates.length }, 'enrolled from photos');
      await afterStore(employee, false);
      return {
        sessionId: null,
        employee,
        created: false,
        templates: countTemplates(templates),
        coverage: null,
        keptFrames: plan.frames.map((f) => f.frameNumber),
        dropped: plan.dropped,
        photos: verdicts.map((v) => ({
          index: v.index,
          ok: v.ok,
          sector: v.ok ? v.candidate.sector : null,
          qualityScore: v.ok ? v.quality.score : 0,
        })),
      };
    },
  };
}
