// GraphQL resolver of recognize(frame): base64 decoded (size-checked), then
// the recognition service. Shapes live in src/schema/recognition.ts; REST
// POST /api/v1/recognition/recognize calls the same service.
import type { RequestContext } from '../context.js';
import { decodeBase64Image } from '../enrollment/base64-image.js';
import type { RecognitionResult } from '../services/recognition-service.js';

type Maybe<T> = T | null | undefined;

export const recognitionResolvers = {
  recognize: (args: { frame: string; logAttendance?: Maybe<boolean>; cameraId?: Maybe<number> }, ctx: RequestContext): Promise<RecognitionResult> => {
    const image = decodeBase64Image(args.frame, ['frame'], ctx.bodyLimitBytes);
    return ctx.services.recognition.recognize(image, {
      requestId: ctx.requestId,
      // A kiosk key bound to a camera logs for that camera unless told otherwise.
      cameraId: args.cameraId ?? ctx.caller?.cameraId ?? null,
      ...(args.logAttendance == null ? {} : { logAttendance: args.logAttendance }),
    });
  },
};
