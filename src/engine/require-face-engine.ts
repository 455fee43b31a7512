// Features that need the face engine (recognize, enrollment, training) call
// this: without installed models the server still runs and answers them 503.
import { UnavailableError } from '../domain/errors.js';
import type { FaceEngine } from './face-engine.js';

export const FACE_MODELS_MISSING = 'face models not installed: run npm run models:fetch';

/** Takes the app's dependencies (or anything holding the engine slot), so the engine does not depend on them. */
export function requireFaceEngine(deps: { readonly faceEngine: FaceEngine | null }): FaceEngine {
  if (deps.faceEngine === null) {
    throw new UnavailableError(FACE_MODELS_MISSING);
  }
  return deps.faceEngine;
}
