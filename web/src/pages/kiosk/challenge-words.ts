// What the kiosk says when a head-turn challenge ends: the check-in, "not
// recognized", or a refusal in plain words. Pure, so the wording is easy to check.
import type { ChallengeRefusalReason, FinishKioskChallengeMutation } from '../../gql/graphql';
import type { KioskMessage } from './kiosk-message';

type Finish = FinishKioskChallengeMutation['finishLivenessChallenge'];

/** One sentence per refusal reason, for the person in front of the kiosk. */
export function refusalWords(reason: ChallengeRefusalReason | null): string {
  switch (reason) {
    case 'spoof':
      return 'This looks like a photo or a screen. Please stand in front of the camera yourself.';
    case 'planar':
      return 'The camera saw a flat picture, not a head turning. Please try again in person.';
    case 'identity_changed':
      return 'Someone else appeared during the check. Please try again on your own.';
    case 'wrong_direction':
      return 'You turned the other way. Please follow the arrows and try again.';
    case 'sequence_not_followed':
      return 'We did not see the head turns we asked for. Please try again.';
    case 'timeout':
      return 'Time ran out before the turns were done. Please try again.';
    case 'no_face':
      return 'We could not see a face. Please look at the camera and try again.';
    case null:
      return 'The check did not pass. Please try again.';
  }
}

export function challengeMessage(result: Finish, now: Date): KioskMessage {
  if (result.__typename !== 'ChallengeResult') {
    return { kind: 'error', text: result.message };
  }
  if (result.verdict === 'refused') {
    return { kind: 'refused', text: refusalWords(result.reason) };
  }
  if (result.employee === null) {
    return { kind: 'unknown' };
  }
  const name = result.employee.fullName;
  switch (result.attendance?.status) {
    case 'duplicate':
      return { kind: 'already', name };
    case 'logged':
    case 'queued':
      return { kind: 'welcome', name, at: now };
    case 'failed':
    case 'rejected':
    case undefined:
      // Live and recognized, but the log failed or was refused: say so instead of a false welcome.
      return { kind: 'error', text: `Hello ${name}, your check-in could not be saved. Please tell the front desk.` };
  }
}
