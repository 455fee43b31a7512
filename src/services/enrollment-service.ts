// Enrollment service: live guided sessions (guided-enrollment.ts) and
// enrollment from still photos (photo-enrollment.ts), sharing the steps of
// enrollment-steps.ts. GraphQL resolvers and REST routes call it; the
// decisions live in src/enrollment/*.
import { createEnrollmentSteps, type EnrollmentServiceDeps } from './enrollment-steps.js';
import { createGuidedEnrollment, type GuidedEnrollment } from './guided-enrollment.js';
import { createPhotoEnrollment, type PhotoEnrollment } from './photo-enrollment.js';

export type EnrollmentService = GuidedEnrollment & PhotoEnrollment;

export function createEnrollmentService(deps: EnrollmentServiceDeps): EnrollmentService {
  const steps = createEnrollmentSteps(deps);
  const guided = createGuidedEnrollment(deps, steps);
  const photos = createPhotoEnrollment(deps, steps);
  return {
    start: () => guided.start(),
    stop: () => guided.stop(),
    sweep: () => guided.sweep(),
    startSession: (caller, input) => guided.startSession(caller, input),
    submitFrame: (caller, sessionId, bytes, meta) => guided.submitFrame(caller, sessionId, bytes, meta),
    complete: (caller, sessionId) => guided.complete(caller, sessionId),
    cancel: (caller, sessionId) => guided.cancel(caller, sessionId),
    getSession: (caller, sessionId) => guided.getSession(caller, sessionId),
    get liveSessions() {
      return guided.liveSessions;
    },
    enrollFromPhotos: (caller, employeeId, photoBytes) => photos.enrollFromPhotos(caller, employeeId, photoBytes),
  };
}
