// recognize() as the APIs call it: kiosks always log (no silent identification),
// and an optional Idempotency-Key (REST header, GraphQL argument): the first
// request with a key runs and its answer is stored; a retry with the same key
// and the same frame and options gets that answer back (the same log ids), and
// logs nothing again. Without a key every call runs.
import type { Caller } from '../auth/caller.js';
import { can } from '../auth/permissions.js';
import { ForbiddenError } from '../domain/errors.js';
import type { RecognitionResult, RecognitionService, RecognizeOptions } from '../services/recognition-service.js';
import { fingerprintOf, type IdempotencyStore } from './idempotency-store.js';

export interface RecognizeOnceOptions extends RecognizeOptions {
  /** A checked key (checkIdempotencyKey); scoped to the caller's API key. */
  idempotencyKey?: string | null;
}

export async function recognizeOnce(
  services: { recognition: Pick<RecognitionService, 'recognize'>; idempotency: Pick<IdempotencyStore, 'run'> },
  caller: Caller | null,
  image: Uint8Array,
  options: RecognizeOnceOptions,
): Promise<RecognitionResult & { replayed: boolean }> {
  const { idempotencyKey, ...recognizeOptions } = options;
  if (recognizeOptions.logAttendance === false && caller !== null && !can(caller.role, 'recognition:identify-only')) {
    throw new ForbiddenError(`Role ${caller.role} may not recognize without logging attendance`);
  }
  if (idempotencyKey == null || caller === null) {
    return { ...(await services.recognition.recognize(image, recognizeOptions)), replayed: false };
  }
  const fingerprint = fingerprintOf(['recognize:v1', image, recognizeOptions.logAttendance ?? true, recognizeOptions.cameraId ?? null]);
  const { value, replayed } = await services.idempotency.run(
    { apiKeyId: caller.apiKeyId, key: idempotencyKey, fingerprint },
    async () => {
      const result = await services.recognition.recognize(image, recognizeOptions);
      return { value: result, subjects: result.faces.flatMap((f) => (f.employee ? [Number(f.employee.id)] : [])) };
    },
  );
  return { ...value, replayed };
}
