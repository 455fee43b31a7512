// The kiosk's wording for a recognize result (web/src/pages/kiosk/kiosk-message.ts), as the page
// shows it: a face too close to the camera for the liveness check gets a hint, not an error.
import { describe, expect, it } from 'vitest';

// The web app is type-checked by its own tsconfig (bundler resolution): loaded by a computed path
// so the server's tsc does not check it with Node's rules.
const modulePath = '../../web/src/pages/kiosk/kiosk-message.ts';
const { messageFor } = (await import(/* @vite-ignore */ modulePath)) as { messageFor: (result: Result, now: Date) => { kind: string } };

type Result = { __typename: 'RecognitionResult' } & Record<string, unknown>;

const face = (attendance: { status: 'logged' | 'rejected' | 'failed'; reason: string | null }) => ({
  bbox: [10, 10, 200, 240],
  employeeId: 7,
  employeeName: 'Ada',
  confidenceScore: 0.9,
  reason: null,
  attendance,
});

const result = (f: ReturnType<typeof face>): Result => ({ __typename: 'RecognitionResult', reason: null, width: 640, height: 480, faces: [f] });

describe('kiosk message', () => {
  const now = new Date('2026-12-01T08:00:00Z');

  it('asks a person too close to the camera to step back (liveness could not be judged)', () => {
    expect(messageFor(result(face({ status: 'rejected', reason: 'liveness_unverified' })), now)).toEqual({
      kind: 'hint',
      text: 'Please step back a little so the camera sees your whole head.',
    });
  });

  it('welcomes a logged check-in and reports a refused one as an error', () => {
    expect(messageFor(result(face({ status: 'logged', reason: null })), now)).toMatchObject({ kind: 'welcome', name: 'Ada' });
    expect(messageFor(result(face({ status: 'rejected', reason: 'unknown_camera' })), now)).toMatchObject({ kind: 'error' });
  });
});
