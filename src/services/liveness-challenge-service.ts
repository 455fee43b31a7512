// The kiosk's head-turn check-in: start hands out a random sequence of turns
// with a deadline; the kiosk sends camera frames (the engine reads the 68
// landmarks, the embedding and P(live) of the largest face, stamped with the
// server's clock); result decides (src/liveness/decision.ts) and then checks
// the person in, or refuses with the reason (and reports an attack).
//
// Challenges live in a ChallengeStore (src/liveness/challenge-store.ts): this
// process's memory for one instance, Redis when several share the work, so a
// kiosk's requests may reach any instance.
import { createHash, randomUUID } from 'node:crypto';
import type { Caller } from '../auth/caller.js';
import type { Logger } from 'pino';
import type { Config } from '../config.js';
import { ConflictError, ForbiddenError, NotFoundError } from '../domain/errors.js';
import { cameraId as toCameraId } from '../domain/ids.js';
import type { FaceEngine } from '../engine/face-engine.js';
import { requireFaceEngine } from '../engine/require-face-engine.js';
import { checksInByChallengeOnly, createChallenge, instructionFor, type TurnDirection } from '../liveness/challenge.js';
import { createMemoryChallengeStore, MAX_CHALLENGE_FRAMES, type ChallengeRecord, type ChallengeStore } from '../liveness/challenge-store.js';
import { decideChallenge, type ChallengeDecision } from '../liveness/decision.js';
import { followSequence } from '../liveness/follow-sequence.js';
import { yawProxy } from '../liveness/yaw-proxy.js';
import type { AttendanceService } from './attendance-service.js';
import type { LivenessService } from './liveness-service.js';
import type { RecognitionModels } from './recognition-models.js';
import type { FaceAttendance, RecognizedEmployee } from './recognition-service.js';
import { attendanceOf } from './recognition-service.js';

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

export interface LivenessChallengeService {
  /** Whether this caller checks people in through the challenge only (LIVENESS_MODE=challenge, a kiosk). */
  requiredFor(caller: Caller | null): boolean;
  start(caller: Caller | null, options?: { cameraId?: number | null }): Promise<ChallengeView>;
  submitFrame(caller: Caller | null, id: string, image: Uint8Array): Promise<ChallengeFrameFeedback>;
  finish(caller: Caller | null, id: string): Promise<ChallengeOutcome>;
}

export interface LivenessChallengeServiceDeps {
  config: Pick<Config, 'LIVENESS_THRESHOLD' | 'LIVENESS_MODE'>;
  /** The server's clock stamps every frame: a kiosk cannot stretch the deadline. */
  clock: () => Date;
  log: Logger;
  faceEngine: FaceEngine | null;
  models: Pick<RecognitionModels, 'recognizer'>;
  attendance: Pick<AttendanceService, 'recordRecognition'>;
  liveness: Pick<LivenessService, 'resembledBy' | 'report'>;
  /** Where challenges are kept (default: this process's memory). */
  challenges?: ChallengeStore;
}

export function createLivenessChallengeService(deps: LivenessChallengeServiceDeps): LivenessChallengeService {
  const now = (): number => deps.clock().getTime();
  const store = deps.challenges ?? createMemoryChallengeStore(now);

  const recordFor = async (caller: Caller | null, id: string): Promise<ChallengeRecord> => {
    const s = await store.get(id);
    if (!s) {
      throw new NotFoundError('Liveness challenge', id);
    }
    if (caller !== null && caller.role === 'kiosk' && s.startedBy !== caller.apiKeyId) {
      throw new ForbiddenError('A kiosk may only use the challenges it started');
    }
    return s;
  };

  const decide = async (caller: Caller | null, s: ChallengeRecord): Promise<ChallengeOutcome> => {
    const frames = await store.frames(s.id);
    const decision = decideChallenge(s.challenge, frames, now(), { liveness: deps.config.LIVENESS_THRESHOLD });
    // Whom the frontal frame shows (for the check-in, or for the attack report).
    const seq = followSequence(s.challenge, frames);
    const neutral = seq.neutral === undefined ? undefined : frames[seq.neutral];
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
    requiredFor: (caller) => checksInByChallengeOnly(deps.config.LIVENESS_MODE, caller?.role),

    async start(caller, options = {}) {
      requireFaceEngine(deps);
      const challenge = createChallenge(now());
      const id = randomUUID();
      const cameraId = options.cameraId ?? caller?.cameraId ?? null;
      if (caller?.role === 'kiosk' && caller.cameraId !== null && cameraId !== caller.cameraId) {
        throw new ForbiddenError('A kiosk checks people in for its own camera only');
      }
      await store.add({ id, challenge, startedBy: caller?.apiKeyId ?? null, cameraId });
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
      const s = await recordFor(caller, id);
      const refuse = (why: 'decided' | 'full' | 'late' | 'gone'): never => {
        throw why === 'gone'
          ? new NotFoundError('Liveness challenge', id)
          : new ConflictError(
              why === 'decided'
                ? `Liveness challenge ${id} is already decided`
                : why === 'full'
                  ? `Liveness challenge ${id} has its ${MAX_CHALLENGE_FRAMES} frames; ask for its result`
                  : `Liveness challenge ${id} is past its deadline; ask for its result or start a new one`,
            );
      };
      if (now() > s.challenge.deadline) {
        refuse('late');
      }
      if (await store.decided(id)) {
        refuse('decided'); // checked again, atomically, when the frame is appended
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
        const appended = await store.append(id, {
          at,
          landmarks: face.landmarks68,
          ...(face.embedding ? { embedding: face.embedding } : {}),
          ...(face.liveness !== undefined ? { liveness: face.liveness } : {}),
        });
        if ('refused' in appended) {
          refuse(appended.refused);
        }
      }
      const seq = followSequence(s.challenge, await store.poses(id));
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

    async finish(caller, id) {
      const s = await recordFor(caller, id);
      // Decided once, whichever instance is asked: a retried result request gets the same
      // answer (and one check-in); a failure (database down) may be retried.
      return store.decideOnce(id, () => decide(caller, s));
    },
  };
}
