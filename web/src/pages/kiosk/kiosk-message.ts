// What the kiosk says after a frame: from the recognize result to a greeting,
// a polite "not recognized", or a hint (and, with the head-turn challenge, a
// refusal: challenge-words.ts). Pure, so the wording is easy to check.
import type { KioskRecognizeMutation } from '../../gql/graphql';

type Result = KioskRecognizeMutation['recognize'];

export type KioskMessage =
  | { kind: 'idle' }
  | { kind: 'welcome'; name: string; at: Date }
  | { kind: 'already'; name: string }
  | { kind: 'unknown' }
  | { kind: 'hint'; text: string }
  /** A head-turn challenge is running (its instructions show in the liveness slot). */
  | { kind: 'checking' }
  /** The challenge refused the check-in: why, in plain words. */
  | { kind: 'refused'; text: string }
  | { kind: 'error'; text: string };

const timeFormat = new Intl.DateTimeFormat(undefined, { hour: '2-digit', minute: '2-digit' });

export function messageFor(result: Result, now: Date): KioskMessage {
  if (result.__typename === 'EngineBusyError') {
    // The server sheds load for a moment; the next frame tries again.
    return { kind: 'idle' };
  }
  if (result.__typename !== 'RecognitionResult') {
    return { kind: 'error', text: result.message };
  }
  // The largest face is the person at the kiosk; others are passers-by.
  const face = [...result.faces].sort((a, b) => area(b.bbox) - area(a.bbox))[0];
  if (face === undefined) {
    return { kind: 'idle' };
  }
  if (face.employeeId !== null) {
    const name = face.employeeName ?? 'there';
    if (face.attendance?.status === 'rejected' && face.attendance.reason === 'liveness_unverified') {
      // The face filled the picture: the liveness check needs the head and its surroundings.
      return { kind: 'hint', text: 'Please step back a little so the camera sees your whole head.' };
    }
    switch (face.attendance?.status) {
      case 'duplicate':
        return { kind: 'already', name };
      case 'logged':
      case 'queued':
        return { kind: 'welcome', name, at: now };
      case 'failed':
      case 'rejected':
      case undefined:
        // Recognized, but the log failed or was refused: say so instead of a false welcome.
        return { kind: 'error', text: `Hello ${name}, your check-in could not be saved. Please tell the front desk.` };
    }
  }
  if (face.reason === 'low_quality') {
    return { kind: 'hint', text: 'Please step a little closer and look at the camera.' };
  }
  return { kind: 'unknown' };
}

export function wording(message: KioskMessage): { big: string; sub: string } {
  switch (message.kind) {
    case 'idle':
      return { big: 'Look at the camera to check in', sub: 'Stand still for a moment.' };
    case 'welcome':
      return { big: `Welcome, ${message.name}`, sub: `Checked in at ${timeFormat.format(message.at)}` };
    case 'already':
      return { big: `Hello again, ${message.name}`, sub: 'You are already checked in.' };
    case 'unknown':
      return { big: 'Sorry, we do not recognize you', sub: 'If you work here, please ask at the front desk to be enrolled.' };
    case 'hint':
      return { big: 'Almost there', sub: message.text };
    case 'checking':
      return { big: 'Follow the instructions', sub: 'A short check that you are here in person.' };
    case 'refused':
      return { big: 'Check-in refused', sub: message.text };
    case 'error':
      return { big: 'Something went wrong', sub: message.text };
  }
}

function area(box: readonly number[]): number {
  const [x1 = 0, y1 = 0, x2 = 0, y2 = 0] = box;
  return Math.max(0, x2 - x1) * Math.max(0, y2 - y1);
}
