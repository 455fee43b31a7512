// What completeEnrollment does before it touches the engine or the database:
// check coverage (live sessions only), select frames, check identity, build the
// mean template. The service then augments the kept crops (augment.ts, in the
// face worker), checks for a duplicate identity (duplicate-identity.ts) and
// stores the templates.
import { allCandidates, coverageShortfall, type CoverageState } from './coverage.js';
import {
  DEFAULT_SELECTION_PARAMS,
  selectEnrollmentFrames,
  type SelectionParams,
  type SelectionResult,
} from './frame-selection.js';
import type { PoseSector } from './pose-sectors.js';
import type { PhotoVerdict } from './photo-verdict.js';

export type CompletionPlan =
  | SelectionResult
  | { ok: false; reason: 'insufficient_coverage'; message: string; missing: PoseSector[] };

export function planSessionCompletion(state: CoverageState, params: SelectionParams = DEFAULT_SELECTION_PARAMS): CompletionPlan {
  const shortfall = coverageShortfall(state);
  if (!shortfall.ok) {
    return { ok: false, reason: 'insufficient_coverage', message: shortfall.message, missing: shortfall.missing };
  }
  return selectEnrollmentFrames(allCandidates(state), params);
}

export type PhotoPlan =
  | SelectionResult
  | { ok: false; reason: 'bad_photos'; message: string; rejected: Extract<PhotoVerdict, { ok: false }>[] };

// Every photo counts (no per-sector cap); duplicates (the same photo twice) are still dropped.
export const PHOTO_SELECTION_PARAMS: SelectionParams = {
  ...DEFAULT_SELECTION_PARAMS,
  maxPerSector: Number.POSITIVE_INFINITY,
  maxTotal: Number.POSITIVE_INFINITY,
};

/**
 * Photo enrollment is all-or-nothing: one bad photo refuses the request with
 * every photo's reason, so the operator fixes the set instead of silently
 * enrolling from fewer photos than they chose.
 */
export function planPhotoEnrollment(verdicts: readonly PhotoVerdict[], params: SelectionParams = PHOTO_SELECTION_PARAMS): PhotoPlan {
  const rejected = verdicts.filter((v): v is Extract<PhotoVerdict, { ok: false }> => !v.ok);
  if (rejected.length > 0) {
    return { ok: false, reason: 'bad_photos', message: rejected.map((r) => r.message).join('; '), rejected };
  }
  return selectEnrollmentFrames(
    verdicts.flatMap((v) => (v.ok ? [v.candidate] : [])),
    params,
  );
}
