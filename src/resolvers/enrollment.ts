// GraphQL resolvers of enrollment: guided sessions (start, frames, completion,
// cancel, progress subscription) and enrollment from still photos. Frames and
// photos arrive as base64 and are decoded (size-checked) here. Shapes live in
// src/schema/enrollment.ts; the REST routes call the same service.
import type { RequestContext } from '../context.js';
import { ValidationError } from '../domain/errors.js';
import { decodeBase64Image } from '../enrollment/base64-image.js';
import type { FrameFeedback } from '../enrollment/feedback-types.js';
import type { EnrollmentProgressEvent } from '../enrollment/events.js';
import type { EnrollmentResult, EnrollmentSessionView, PhotoEnrollmentResult } from '../enrollment/enrollment-views.js';

type Maybe<T> = T | null | undefined;
type Id = string | number;

interface NewEmployeeArgs {
  employeeCode: string;
  fullName: string;
  email?: Maybe<string>;
  department?: Maybe<string>;
}

export const enrollmentResolvers = {
  enrollmentSession: (args: { id: Id }, ctx: RequestContext): Promise<EnrollmentSessionView> =>
    ctx.services.enrollment.getSession(ctx.caller, String(args.id)),

  startEnrollment: ({ input }: { input: { employee?: Maybe<NewEmployeeArgs>; employeeId?: Maybe<number> } }, ctx: RequestContext): Promise<EnrollmentSessionView> => {
    if (input.employeeId != null && input.employee == null) {
      return ctx.services.enrollment.startSession(ctx.caller, { employeeId: input.employeeId });
    }
    if (input.employee != null && input.employeeId == null) {
      return ctx.services.enrollment.startSession(ctx.caller, { employee: input.employee });
    }
    throw new ValidationError([{ path: ['input'], message: 'give exactly one of employee or employeeId' }]);
  },

  submitEnrollmentFrame: (
    args: { sessionId: Id; frame: string; frameNumber: number; timestamp?: Maybe<number> },
    ctx: RequestContext,
  ): Promise<FrameFeedback> =>
    ctx.services.enrollment.submitFrame(ctx.caller, String(args.sessionId), decodeBase64Image(args.frame, ['frame'], ctx.bodyLimitBytes), {
      frameNumber: args.frameNumber,
      timestamp: args.timestamp,
    }),

  completeEnrollment: (args: { sessionId: Id }, ctx: RequestContext): Promise<EnrollmentResult> =>
    ctx.services.enrollment.complete(ctx.caller, String(args.sessionId)),

  cancelEnrollment: (args: { sessionId: Id }, ctx: RequestContext): Promise<EnrollmentSessionView> =>
    ctx.services.enrollment.cancel(ctx.caller, String(args.sessionId)),

  enrollFromPhotos: (args: { employeeId: number; photos: string[] }, ctx: RequestContext): Promise<PhotoEnrollmentResult> =>
    ctx.services.enrollment.enrollFromPhotos(
      ctx.caller,
      args.employeeId,
      args.photos.map((p, i) => decodeBase64Image(p, ['photos', i], ctx.bodyLimitBytes)),
    ),

  enrollmentProgress: async (args: { sessionId: Id }, ctx: RequestContext): Promise<AsyncIterable<EnrollmentProgressEvent>> => {
    // Not found / another kiosk's session: refused before subscribing.
    await ctx.services.enrollment.getSession(ctx.caller, String(args.sessionId));
    return ctx.pubsub.subscribe('enrollmentProgress', String(args.sessionId));
  },
};
