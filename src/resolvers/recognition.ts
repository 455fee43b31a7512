// GraphQL resolver of recognize(frame): base64 decoded (size-checked), then
// the recognition service. Shapes live in src/schema/recognition.ts; REST
// POST /api/v1/recognition/recognize calls the same service.
import type { RequestContext } from '../context.js';
import { decodeBase64Image } from '../enrollment/base64-image.js';
import type { RecognitionResult } from '../services/recognition-service.js';
import { recognizeOnce } from '../idempotency/recognize-once.js';
import { checkIdempotencyKey } from '../idempotency/idempotency-store.js';

type Maybe<T> = T | null | undefined;

export const recognitionResolvers = {
  recognize: (
    args: { frame: string; logAttendance?: Maybe<boolean>; cameraId?: Maybe<number>; idempotencyKey?: Maybe<string> },
    ctx: RequestContext,
  ): Promise<RecognitionResult> => {
    const image = decodeBase64Image(args.frame, ['frame'], ctx.bodyLimitBytes);
    const idempotencyKey = args.idempotencyKey == null ? null : checkIdempotencyKey(args.idempotencyKey, ['idempotencyKey']);
    return recognizeOnce(ctx.services, ctx.caller, image, {
      idempotencyKey,
      // Named in the audit row of a presentation attack; a kiosk in LIVENESS_MODE=challenge does not log.
      caller: ctx.caller,
      // A kiosk key bound to a camera logs for that camera unless told otherwise.
      cameraId: args.cameraId ?? ctx.caller?.cameraId ?? null,
      ...(args.logAttendance == null ? {} : { logAttendance: args.logAttendance }),
    });
  },
};
