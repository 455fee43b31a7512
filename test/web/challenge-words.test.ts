// The kiosk's wording when a head-turn challenge ends (web/src/pages/kiosk/challenge-words.ts):
// a check-in, "not recognized", or the refusal in plain words, one sentence per reason.
import { describe, expect, it } from 'vitest';
import { REFUSAL_REASONS } from '../../src/liveness/decision.js';

// The web app is type-checked by its own tsconfig (bundler resolution): loaded by a computed path
// so the server's tsc does not check it with Node's rules.
const modulePath = '../../web/src/pages/kiosk/challenge-words.ts';
type Message = { kind: string; text?: string; name?: string };
const { challengeMessage, refusalWords } = (await import(/* @vite-ignore */ modulePath)) as {
  challengeMessage: (result: unknown, now: Date) => Message;
  refusalWords: (reason: string | null) => string;
};

const now = new Date('2026-12-01T08:00:00Z');
const result = (fields: Record<string, unknown>) => ({ __typename: 'ChallengeResult', reason: null, detail: null, employee: null, attendance: null, ...fields });

describe('challenge wording', () => {
  it('has its own plain sentence for every refusal reason the server gives', () => {
    const sentences = REFUSAL_REASONS.map((r) => refusalWords(r));
    expect(new Set(sentences).size).toBe(REFUSAL_REASONS.length);
    expect(sentences.every((s) => s.endsWith('.') && !/_/.test(s))).toBe(true);
    expect(refusalWords('planar')).toMatch(/flat picture/);
  });

  it('turns a verdict into the kiosk message', () => {
    expect(challengeMessage(result({ verdict: 'refused', reason: 'spoof' }), now)).toEqual({ kind: 'refused', text: refusalWords('spoof') });
    const ada = { id: 7, fullName: 'Ada Lovelace' };
    expect(challengeMessage(result({ verdict: 'live', employee: ada, attendance: { status: 'logged', reason: null } }), now)).toEqual({
      kind: 'welcome',
      name: 'Ada Lovelace',
      at: now,
    });
    expect(challengeMessage(result({ verdict: 'live', employee: ada, attendance: { status: 'duplicate', reason: null } }), now)).toMatchObject({ kind: 'already' });
    expect(challengeMessage(result({ verdict: 'live', employee: ada, attendance: { status: 'failed', reason: null } }), now)).toMatchObject({ kind: 'error' });
    expect(challengeMessage(result({ verdict: 'live' }), now)).toEqual({ kind: 'unknown' });
    expect(challengeMessage({ __typename: 'NotFoundError', message: 'gone' }, now)).toEqual({ kind: 'error', text: 'gone' });
  });
});
