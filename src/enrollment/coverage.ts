// Immutable pose-coverage state of one enrollment session: which sectors of
// the ring have been seen, with the best candidate frames of each.
//
// Requirement (configurable): the centre plus 6 of the 8 ring directions, each
// seen in at least 2 accepted frames. The ring has 8 sectors and the UI shows
// all of them, but a real kiosk user (glasses, a stiff neck, a camera mounted
// high) cannot always reach all eight, and 6 of 8 still guarantees both sides
// and both tilts are represented (two misses cannot remove a whole side).
// Two frames per sector keep a single mis-estimated pose from ticking a sector.
import {
  ALL_SECTORS,
  DEFAULT_POSE_SECTOR_PARAMS,
  RING_SECTORS,
  type PoseSector,
  type PoseSectorParams,
} from './pose-sectors.js';

export interface Pose {
  yaw: number;
  pitch: number;
  roll: number;
}

/** One accepted frame, as kept by the session until completion. */
export interface FrameCandidate {
  frameNumber: number;
  /** Milliseconds (client clock); only compared with other frames of the session. */
  timestamp: number;
  sector: PoseSector;
  pose: Pose;
  /** FaceQuality.score, 0..1: ranks frames within a sector. */
  qualityScore: number;
  faceSize: number;
  /** L2-normalised embedding of the aligned crop. */
  embedding?: Float32Array;
  /** Aligned 112x112 BGR crop as JPEG, input for augmentation. */
  alignedJpeg?: Uint8Array;
}

export interface CoverageRequirement {
  /** The centre sector must be covered. */
  centre: boolean;
  /** How many of the 8 ring sectors must be covered (0..8). */
  ringMin: number;
  /** Accepted frames a sector needs before it counts as covered. */
  minFramesPerSector: number;
}

/**
 * Per-session calibration of the neutral pitch. The 5-point pitch estimate is
 * biased per face (nose length) and per camera height: frontal photos of the
 * shared set read from -15° to +6°. Without calibration a user looking straight
 * can land in 'down' or in the dead band. The first good frames whose yaw is
 * frontal (the first instruction is "Look straight at the camera") define the
 * neutral pitch as their median, as a phone's face-unlock ring is relative to
 * where the user started.
 */
export interface PitchCalibration {
  enabled: boolean;
  /** Frames averaged (median) before the neutral pitch is fixed. */
  frames: number;
  /** Frames further than this from the configured neutral pitch are not used (the user is nodding). */
  maxOffset: number;
}

export interface CoverageParams {
  sectors: PoseSectorParams;
  requirement: CoverageRequirement;
  /** Best frames kept per sector while the session runs (selection picks fewer later). */
  maxCandidatesPerSector: number;
  calibration: PitchCalibration;
}

export const DEFAULT_COVERAGE_REQUIREMENT: CoverageRequirement = { centre: true, ringMin: 6, minFramesPerSector: 2 };

export const DEFAULT_PITCH_CALIBRATION: PitchCalibration = { enabled: true, frames: 3, maxOffset: 20 };

export const DEFAULT_COVERAGE_PARAMS: CoverageParams = {
  sectors: DEFAULT_POSE_SECTOR_PARAMS,
  requirement: DEFAULT_COVERAGE_REQUIREMENT,
  maxCandidatesPerSector: 6,
  calibration: DEFAULT_PITCH_CALIBRATION,
};

export type SectorRecord<T> = Readonly<Record<PoseSector, T>>;

export interface CoverageState {
  readonly params: CoverageParams;
  readonly candidates: SectorRecord<readonly FrameCandidate[]>;
  /** Accepted frames per sector, uncapped (coverage counts these). */
  readonly hits: SectorRecord<number>;
  /** Every frame number submitted so far, accepted or not (retries are detected by it). */
  readonly seenFrames: ReadonlySet<number>;
  readonly framesSeen: number;
  readonly framesAccepted: number;
  /** Pose of the last frame with exactly one usable face; guides the next instruction. */
  readonly lastPose: Pose | undefined;
  /** Raw pitches of the frontal frames used to calibrate the neutral pitch (at most calibration.frames). */
  readonly pitchSamples: readonly number[];
}

function sectorRecord<T>(make: (s: PoseSector) => T): SectorRecord<T> {
  return Object.fromEntries(ALL_SECTORS.map((s) => [s, make(s)])) as Record<PoseSector, T>;
}

export function mergeCoverageParams(overrides: {
  sectors?: Partial<PoseSectorParams>;
  requirement?: Partial<CoverageRequirement>;
  maxCandidatesPerSector?: number;
  calibration?: Partial<PitchCalibration>;
} = {}): CoverageParams {
  const requirement = { ...DEFAULT_COVERAGE_REQUIREMENT, ...overrides.requirement };
  if (requirement.ringMin < 0 || requirement.ringMin > RING_SECTORS.length) {
    throw new RangeError(`requirement.ringMin must be 0..${RING_SECTORS.length}, got ${requirement.ringMin}`);
  }
  return {
    sectors: { ...DEFAULT_POSE_SECTOR_PARAMS, ...overrides.sectors },
    requirement,
    maxCandidatesPerSector: overrides.maxCandidatesPerSector ?? DEFAULT_COVERAGE_PARAMS.maxCandidatesPerSector,
    calibration: { ...DEFAULT_PITCH_CALIBRATION, ...overrides.calibration },
  };
}

export function createCoverage(params: CoverageParams = DEFAULT_COVERAGE_PARAMS): CoverageState {
  return {
    params,
    candidates: sectorRecord(() => []),
    hits: sectorRecord(() => 0),
    seenFrames: new Set(),
    framesSeen: 0,
    framesAccepted: 0,
    lastPose: undefined,
    pitchSamples: [],
  };
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? (sorted[mid] ?? 0) : ((sorted[mid - 1] ?? 0) + (sorted[mid] ?? 0)) / 2;
}

/** The sector parameters in effect for this session: the configured ones with the calibrated neutral pitch. */
export function sessionSectorParams(state: CoverageState): PoseSectorParams {
  if (state.pitchSamples.length === 0) {
    return state.params.sectors;
  }
  return { ...state.params.sectors, neutralPitch: median(state.pitchSamples) };
}

/** Uses a good frame's pose for pitch calibration if calibration is still open and the yaw is frontal. */
export function calibrate(state: CoverageState, pose: Pose): CoverageState {
  const { calibration, sectors } = state.params;
  if (!calibration.enabled || state.pitchSamples.length >= calibration.frames) {
    return state;
  }
  const frontal = Math.abs(pose.yaw - sectors.neutralYaw) <= sectors.centreRadius;
  const plausible = Math.abs(pose.pitch - sectors.neutralPitch) <= calibration.maxOffset;
  return frontal && plausible ? { ...state, pitchSamples: [...state.pitchSamples, pose.pitch] } : state;
}

export function hasSeenFrame(state: CoverageState, frameNumber: number): boolean {
  return state.seenFrames.has(frameNumber);
}

/** Records a submitted frame that was not accepted (still counts as seen). */
export function recordRejectedFrame(state: CoverageState, frameNumber: number, pose?: Pose): CoverageState {
  const seenFrames = new Set(state.seenFrames).add(frameNumber);
  return { ...state, seenFrames, framesSeen: state.framesSeen + 1, lastPose: pose ?? state.lastPose };
}

/** Adds an accepted frame: counts a hit and keeps it if it ranks among the sector's best. */
export function addCandidate(state: CoverageState, candidate: FrameCandidate): CoverageState {
  const { sector } = candidate;
  const ranked = [...state.candidates[sector], candidate]
    // Best quality first; on a tie the earlier frame stays (stable sort).
    .sort((a, b) => b.qualityScore - a.qualityScore)
    .slice(0, state.params.maxCandidatesPerSector);
  return {
    ...state,
    candidates: { ...state.candidates, [sector]: ranked },
    hits: { ...state.hits, [sector]: state.hits[sector] + 1 },
    seenFrames: new Set(state.seenFrames).add(candidate.frameNumber),
    framesSeen: state.framesSeen + 1,
    framesAccepted: state.framesAccepted + 1,
    lastPose: candidate.pose,
  };
}

export function isSectorCovered(state: CoverageState, sector: PoseSector): boolean {
  return state.hits[sector] >= state.params.requirement.minFramesPerSector;
}

export function coveredSectors(state: CoverageState): PoseSector[] {
  return ALL_SECTORS.filter((s) => isSectorCovered(state, s));
}

/** Every sector not yet covered, centre first, then the ring in order (not only the required ones). */
export function missingSectors(state: CoverageState): PoseSector[] {
  return ALL_SECTORS.filter((s) => !isSectorCovered(state, s));
}

export function coveredRingCount(state: CoverageState): number {
  return RING_SECTORS.filter((s) => isSectorCovered(state, s)).length;
}

/** 0..1 towards the requirement; 1 exactly when isComplete. */
export function progress(state: CoverageState): number {
  const req = state.params.requirement;
  const total = (req.centre ? 1 : 0) + req.ringMin;
  if (total === 0) {
    return 1;
  }
  const done = (req.centre && isSectorCovered(state, 'centre') ? 1 : 0) + Math.min(coveredRingCount(state), req.ringMin);
  return done / total;
}

export function isComplete(state: CoverageState): boolean {
  return progress(state) >= 1;
}

export type CoverageShortfall =
  | { ok: true }
  | { ok: false; reason: 'centre_missing' | 'ring_incomplete'; message: string; missing: PoseSector[] };

/** Why the session cannot complete yet, in words fit for an API error. */
export function coverageShortfall(state: CoverageState): CoverageShortfall {
  const req = state.params.requirement;
  const missing = missingSectors(state);
  if (req.centre && !isSectorCovered(state, 'centre')) {
    return { ok: false, reason: 'centre_missing', message: 'No usable frontal (centre) frames yet', missing };
  }
  const ring = coveredRingCount(state);
  if (ring < req.ringMin) {
    return {
      ok: false,
      reason: 'ring_incomplete',
      message: `Pose coverage too low: ${ring} of ${req.ringMin} required directions covered (missing: ${missing.join(', ')})`,
      missing,
    };
  }
  return { ok: true };
}

/** All kept candidates, sector by sector. */
export function allCandidates(state: CoverageState): FrameCandidate[] {
  return ALL_SECTORS.flatMap((s) => state.candidates[s]);
}

/** JSON-safe snapshot for EnrollmentSession.coverage and for logs (no embeddings, no crops). */
export interface CoverageSummary {
  covered: PoseSector[];
  missing: PoseSector[];
  progress: number;
  complete: boolean;
  hits: Record<PoseSector, number>;
  framesSeen: number;
  framesAccepted: number;
  neutralPitch: number;
  requirement: CoverageRequirement;
}

export function coverageSummary(state: CoverageState): CoverageSummary {
  return {
    covered: coveredSectors(state),
    missing: missingSectors(state),
    progress: progress(state),
    complete: isComplete(state),
    hits: { ...state.hits },
    framesSeen: state.framesSeen,
    framesAccepted: state.framesAccepted,
    neutralPitch: sessionSectorParams(state).neutralPitch,
    requirement: state.params.requirement,
  };
}
