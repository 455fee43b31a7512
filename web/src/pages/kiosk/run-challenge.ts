// One head-turn challenge from the kiosk's camera: ask the server for a random
// sequence of turns, send camera frames while showing what the server says to
// do next (and the time left), then ask for the verdict. Ends early once every
// turn was seen; otherwise at the deadline. The server judges everything on its
// own clock; the kiosk's countdown is only for the person.
//
// The challenge's own frames tell whether someone is there (a kiosk may not run
// a recognize that logs nothing, and with LIVENESS_MODE=passive a plain
// recognize would check the person in without the challenge). Until a face is
// seen the kiosk shows nothing of the challenge and sends few frames; a
// challenge nobody came to is left to expire, never decided (so never logged
// or reported), and one whose first face came late is replaced by a fresh one
// so the person gets the whole time.
import {
  FinishKioskChallengeDocument,
  SendKioskChallengeFrameDocument,
  StartKioskChallengeDocument,
  type FinishKioskChallengeMutation,
} from '../../gql/graphql';
import { gqlRequest } from '../../lib/graphql';
import { grabFrame } from '../../lib/media';

/** Frames per second once someone is doing the challenge (each waits for the previous answer). */
const CHALLENGE_FPS = 6;
/** Frames per second while waiting for someone. */
const WAITING_FPS = 3;
/** A first face later than this after the start gets a fresh challenge. */
const FRESH_MS = 1_500;

export interface ChallengeProgress {
  instruction: string;
  /** Which way to turn now, for the arrow; null when the person should look straight. */
  direction: 'left' | 'right' | null;
  turnsDone: number;
  turns: number;
  secondsLeft: number;
}

export type ChallengeRun =
  | { kind: 'finished'; result: FinishKioskChallengeMutation['finishLivenessChallenge'] }
  /** Nobody came before the deadline, or someone came late: start another. */
  | { kind: 'again' }
  | { kind: 'failed'; text: string }
  | { kind: 'stopped' };

const directionOf = (instruction: string): ChallengeProgress['direction'] =>
  /\bleft\b/i.test(instruction) ? 'left' : /\bright\b/i.test(instruction) ? 'right' : null;

const pause = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

export async function runChallenge(
  video: HTMLVideoElement,
  cameraId: number | null,
  onProgress: (p: ChallengeProgress) => void,
  stopped: () => boolean,
): Promise<ChallengeRun> {
  const started = await gqlRequest(StartKioskChallengeDocument, cameraId === null ? {} : { cameraId });
  const c = started.startLivenessChallenge;
  if (c.__typename !== 'LivenessChallenge') {
    return { kind: 'failed', text: c.message };
  }
  // The person's countdown, on this device's clock: the same length as the server's.
  const startedAt = Date.now();
  const endsAt = startedAt + (Date.parse(c.deadline) - Date.parse(c.issuedAt));
  const progress: ChallengeProgress = { instruction: 'Look straight at the camera', direction: null, turnsDone: 0, turns: c.steps.length, secondsLeft: 0 };
  let someone = false;
  while (Date.now() < endsAt && progress.turnsDone < c.steps.length) {
    if (stopped()) {
      return { kind: 'stopped' };
    }
    const t = performance.now();
    const frame = await grabFrame(video, 640, 0.85);
    if (frame !== undefined) {
      const fed = (await gqlRequest(SendKioskChallengeFrameDocument, { challengeId: c.id, frame })).submitChallengeFrame;
      if (fed.__typename === 'ChallengeFrameFeedback') {
        if (!someone && fed.accepted && Date.now() - startedAt > FRESH_MS) {
          return { kind: 'again' };
        }
        someone ||= fed.accepted;
        progress.turnsDone = fed.turnsDone;
        if (fed.instruction !== null) {
          progress.instruction = fed.instruction;
          progress.direction = directionOf(fed.instruction);
        }
      } else if (fed.__typename === 'ConflictError') {
        break; // past the deadline (server clock) or already decided: ask for the verdict
      } else if (fed.__typename !== 'EngineBusyError') {
        return { kind: 'failed', text: fed.message };
      }
    }
    if (someone) {
      onProgress({ ...progress, secondsLeft: Math.max(0, Math.ceil((endsAt - Date.now()) / 1000)) });
    }
    await pause(Math.max(0, 1000 / (someone ? CHALLENGE_FPS : WAITING_FPS) - (performance.now() - t)));
  }
  if (stopped()) {
    return { kind: 'stopped' };
  }
  if (!someone) {
    return { kind: 'again' };
  }
  const finished = await gqlRequest(FinishKioskChallengeDocument, { challengeId: c.id });
  return { kind: 'finished', result: finished.finishLivenessChallenge };
}
