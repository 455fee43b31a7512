// The kiosk's head-turn check-in: start hands out a random sequence of turns
// with a deadline; the kiosk sends camera frames (the engine reads the 68
// landmarks, the embedding and P(live) of the largest face, stamped with the
// server's clock); result decides (src/liveness/decision.ts) and then checks
// the person in, or refuses with the reason (and reports an attack).
//
// Challenges live in this process's memory (they last seconds): a kiosk must
// keep talking to the same instance, as for enrollment sessions.
import { createHash, randomUUID } from 'node:crypto';
import type { Caller } from '../auth/caller.js';
import type { Logger } from 'pino';
import type { Config } from '../config.js';
import { ConflictError, ForbiddenError, NotFoundError } from '../domain/errors.js';
import { cameraId as toCameraId } from '../domain/ids.js';
import type { FaceEngine } from '../engine/face-engine.js';
import { requireFaceEngine } from '../engine/require-face-engine.js';
import { createChallenge, instructionFor, type Challenge, type TurnDirection } from '../liveness/challenge.js';
import { decideChallenge, type ChallengeDecision, type ChallengeFrame } from '../liveness/decision.js';
import { followSequence } from '../liveness/follow-sequence.js';
import { yawProxy } from '../liveness/yaw-proxy.js';
import type { AttendanceService } from './attendance-service.js';
import type { LivenessService } from './liveness-service.js';
import type { RecognitionModels } from './recognition-models.js';
import type { FaceAttendance, RecognizedEmployee } from './recognition-service.js';
import { attendanceOf } from './recognition-service.js';

/** Frames kept per challenge (8 fps for the whole deadline is ~90). */
const MAX_FRAMES = 120;
/** Challenges kept per process; the oldest finished ones go first. */
const MAX_CHALLENGES = 500;
/** A challenge's result stays readable this long after its deadline. */
const KEEP_AFTER_DEADLINE_MS = 60_000;
/** Refusals that look like an attack, not a clumsy user: these are reported. */
const ATTACK_REASONS = new Set(['spoof', 'planar', 'identity_changed']);

export interface ChallengeView {
  id: string;
  steps: readonly TurnDirection[];
  instructions: string[];
  issuedAt: Date;
  deadline: Date;
}

export type ChallengeFaceStatus = 'one_face' | 'no_face' | 'multiple_faces';

export interface ChallengeFrameFeedback {
  accepted: boolean;
  faceStatus: ChallengeFaceStatus;
  /** Yaw proxy of the face, -1..1 (+ = turned to the person's left). */
  yaw: number | null;
  livenessScore: number | null;
  turnsDone: number;
  /** What the kiosk should show next; null once every turn was seen. */
  instruction: string | null;
}

export type ChallengeOutcome =
  | {
      verdict: 'live';
      decision: Extract<ChallengeDecision, { verdict: 'live' }>;
      employee: RecognizedEmployee | null;
      confidence: number;
      method: 'svm' | 'cosine' | null;
      attendance: FaceAttendance | null;
    }
  | { verdict: 'refused'; decision: Extract<ChallengeDecision, { verdict: 'refused' }> };

interface Session {
  readonly id: string;
  readonly challenge: Challenge;
  readonly startedBy: Caller['apiKeyId'] | null;
  readonly cameraId: number | null;
  readonly frames: ChallengeFrame[];
  outcome?: Promise<ChallengeOutcome>;
}

export interface LivenessChallengeService {
  start(caller: Caller | null, options?: { cameraId?: number | null }): ChallengeView;
  submitFrame(caller: Caller | null, id: string, image: Uint8Array): Promise<ChallengeFrameFeedback>;
  finish(caller: Caller | null, id: string): Promise<ChallengeOutcome>;
}

export interface LivenessChallengeServiceDeps {
  config: Pick<Config, 'LIVENESS_THRESHOLD'>;
  /** The server's clock stamps every frame: a kiosk cannot stretch the deadline. */
  clock: () => Date;
  log: Logger;
  faceEngine: FaceEngine | null;
  models: Pick<RecognitionModels, 'recognizer'>;
  attendance: Pick<AttendanceService, 'recordRecognition'>;
  liveness: Pick<LivenessService, 'resembledBy' | 'report'>;
}

export function createLivenessChallengeService(deps: LivenessChallengeServiceDeps): LivenessChallengeService {
  const sessions = new Map<string, Session>();
  const now = (): number => deps.clock().getTime();

  const prune = (): void => {
    const t = now();
    for (const [id, s] of sessions) {
      if (t > s.challenge.deadline + KEEP_AFTER_DEADLINE_MS) {
        sessions.delete(id);
      }
    }
    // Map order is insertion order: drop the oldest beyond the bound.
    for (const id of sessions.keys()) {
      if (sessions.size <= MAX_CHALLENGES) {
        break;
      }
      sessions.delete(id);
    }
  };

  const sessionFor = (caller: Caller | null, id: string): Session => {
    const s = sessions.get(id);
    if (!s) {
      throw new NotFoundError('Liveness challenge', id);
    }
    if (caller !== null && caller.role === 'kiosk' && s.startedBy !== caller.apiKeyId) {
      throw new ForbiddenError('A kiosk may only use the challenges it started');
    }
    return s;
  };

  const decide = async (caller: Caller | null, s: Session): Promise<ChallengeOutcome> => {
    const decision = decideChallenge(s.challenge, s.frames, now(), { liveness: deps.config.LIVENESS_THRESHOLD });
    // Whom the frontal frame shows (for the check-in, or for the attack report).
    const seq = followSequence(s.challenge, s.frames);
    const neutral = seq.neutral === undefined ? undefined : s.frames[seq.neutral];
    const recognizer = deps.models.recognizer();
    const recognition = neutral?.embedding && recognizer ? (await recognizer.recognize([neutral.embedding]))[0] : undefined;

    if (decision.verdict === 'refused') {
      if (ATTACK_REASONS.has(decision.reason)) {
        await deps.liveness.report(caller, {
          source: 'challenge',
          cameraId: s.cameraId,
          reason: decision.reason,
          detail: decision.detail,
          livenessScore: Number.isFinite(decision.evidence.passive.score) ? decision.evidence.passive.score : null,
          resembled: await deps.liveness.resembledBy(recognition),
        });
      }
      return { verdict: 'refused', decision };
    }
    if (recognition?.kind !== 'recognized') {
      return { verdict: 'live', decision, employee: null, confidence: recognition?.confidence ?? 0, method: null, attendance: null };
    }
    const known = await deps.liveness.resembledBy(recognition);
    const employee: RecognizedEmployee | null = known
      ? { id: recognition.employeeId, employeeCode: known.employeeCode, fullName: known.fullName }
      : null;
    let attendance: FaceAttendance | null = null;
    if (employee) {
      try {
        const result = await deps.attendance.recordRecognition({
          eventId: createHash('sha256').update(`challenge:v1:${s.id}`).digest('hex'),
          employeeId: employee.id,
          cameraId: s.cameraId === null ? null : toCameraId(s.cameraId),
          at: deps.clock(),
          confidence: recognition.confidence,
          method: recognition.method,
        });
        attendance = attendanceOf(result);
      } catch (error) {
        deps.log.error({ err: error, challengeId: s.id }, 'challenge: attendance log failed');
        attendance = { kind: 'failed', message: error instanceof Error ? error.message : String(error) };
      }
    }
    return { verdict: 'live', decision, employee, confidence: recognition.confidence, method: recognition.method, attendance };
  };

  return {
    start(caller, options = {}) {
      requireFaceEngine(deps);
      prune();
      const challenge = createChallenge(now());
      const id = randomUUID();
      const cameraId = options.cameraId ?? caller?.cameraId ?? null;
      if (caller?.role === 'kiosk' && caller.cameraId !== null && cameraId !== caller.cameraId) {
        throw new ForbiddenError('A kiosk checks people in for its own camera only');
      }
      sessions.set(id, { id, challenge, startedBy: caller?.apiKeyId ?? null, cameraId, frames: [] });
      return {
        id,
        steps: challenge.steps,
        instructions: challenge.steps.map(instructionFor),
        issuedAt: new Date(challenge.issuedAt),
        deadline: new Date(challenge.deadline),
      };
    },

    async submitFrame(caller, id, image) {
      const engine = requireFaceEngine(deps);
      const s = sessionFor(caller, id);
      if (s.outcome) {
        throw new ConflictError(`Liveness challenge ${id} is already decided`);
      }
      if (now() > s.challenge.deadline) {
        throw new ConflictError(`Liveness challenge ${id} is past its deadline; ask for its result or start a new one`);
      }
      if (s.frames.length >= MAX_FRAMES) {
        throw new ConflictError(`Liveness challenge ${id} has its ${MAX_FRAMES} frames; ask for its result`);
      }
      const analysis = await engine.analyze(image, { embed: true, liveness: true, landmarks68: true });
      const at = now(); // the server's clock: a kiosk cannot stretch the deadline
      const faces = [...analysis.faces].sort((a, b) => b.box[3] - b.box[1] - (a.box[3] - a.box[1]));
      const face = faces[0];
      const second = faces[1];
      // A second face nearly as large as the first: whose head is turning is unclear.
      const crowded = face && second && second.box[3] - second.box[1] > 0.7 * (face.box[3] - face.box[1]);
      const status: ChallengeFaceStatus = !face?.landmarks68 ? 'no_face' : crowded ? 'multiple_faces' : 'one_face';
      if (status === 'one_face' && face?.landmarks68) {
        s.frames.push({
          at,
          landmarks: face.landmarks68,
          ...(face.embedding ? { embedding: face.embedding } : {}),
          ...(face.liveness !== undefined ? { liveness: face.liveness } : {}),
        });
      }
      const seq = followSequence(s.challenge, s.frames);
      const done = seq.steps.length;
      const next = s.challenge.steps[done];
      return {
        accepted: status === 'one_face',
        faceStatus: status,
        yaw: status === 'one_face' && face?.landmarks68 ? Math.round(yawProxy(face.landmarks68) * 1000) / 1000 : null,
        livenessScore: face?.liveness ?? null,
        turnsDone: done,
        instruction:
          status === 'no_face'
            ? 'Look straight at the camera'
            : status === 'multiple_faces'
              ? 'Only one person in view, please'
              : next === undefined
                ? null
                : seq.neutral === undefined
                  ? 'Look straight at the camera'
                  : instructionFor(next),
      };
    },

    finish(caller, id) {
      const s = sessionFor(caller, id);
      // Decided once: a retried result request gets the same answer (and one check-in).
      s.outcome ??= decide(caller, s).catch((error: unknown) => {
        s.outcome = undefined; // a failure (database down) may be retried
        throw error;
      });
      return s.outcome;
    },
  };
}
