// The challenge on synthetic sequences: generation, the yaw following the
// turns in order and in time, and the whole decision (head vs printed sheet,
// identity, passive score).
import { describe, expect, it } from 'vitest';
import { createChallenge, type Challenge, type TurnDirection } from '../../src/liveness/challenge.js';
import { decideChallenge } from '../../src/liveness/decision.js';
import { followSequence } from '../../src/liveness/follow-sequence.js';
import { createRng } from '../../src/math/seeded-random.js';
import { headPoints, project } from './head-model.js';
import { challengeFrames } from './synthetic-sequences.js';

const T0 = 1_700_000_000_000;
const challengeOf = (steps: TurnDirection[]): Challenge => ({ steps, issuedAt: T0, deadline: T0 + 3000 + steps.length * 2500 });
const HEAD = { kind: 'head' } as const;

describe('createChallenge', () => {
  it('draws each turn independently and sets the deadline from the number of turns', () => {
    const rng = createRng(5);
    const seen = new Set<string>();
    for (let k = 0; k < 64; k++) {
      const c = createChallenge(T0, {}, (n) => Math.floor(rng() * n));
      expect(c.steps).toHaveLength(3);
      expect(c.deadline - c.issuedAt).toBe(3000 + 3 * 2500);
      seen.add(c.steps.join(','));
    }
    expect(seen.size).toBe(8); // all 2^3 sequences occur
    expect(createChallenge(T0, { turns: 2, msPerTurn: 1000, graceMs: 500 }).deadline).toBe(T0 + 2500);
  });

  it('refuses a nonsensical number of turns', () => {
    expect(() => createChallenge(T0, { turns: 0 })).toThrow(RangeError);
    expect(() => createChallenge(T0, { turns: 2.5 })).toThrow(RangeError);
  });
});

describe('followSequence', () => {
  it('follows a head doing the turns in order', () => {
    const c = challengeOf(['left', 'right', 'right']);
    const r = followSequence(c, challengeFrames(HEAD, c.steps, { start: T0 }));
    expect(r.kind).toBe('followed');
    expect(r.steps.map((s) => s.direction)).toEqual(['left', 'right', 'right']);
    expect(r.steps[0]!.yaw).toBeGreaterThan(0.6);
    expect(r.steps[1]!.yaw).toBeLessThan(-0.6);
    expect(r.steps[0]!.at).toBeLessThan(r.steps[1]!.at);
  });

  it('refuses a turn the wrong way, so a recording that waves left and right does not pass', () => {
    const c = challengeOf(['left', 'left', 'right']);
    const r = followSequence(c, challengeFrames(HEAD, ['left', 'right', 'left'], { start: T0 }));
    expect(r).toMatchObject({ kind: 'not_followed', reason: 'wrong_direction' });
  });

  it('counts a second turn the same way only after coming back to the centre', () => {
    const c = challengeOf(['right', 'right']);
    // One long turn to the right that never comes back: only one of the two turns.
    const frames = challengeFrames(HEAD, ['right'], { start: T0, msPerTurn: 4000 }).filter((f, i, all) => i < all.length * 0.6);
    expect(followSequence(c, frames)).toMatchObject({ kind: 'not_followed', reason: 'incomplete' });
  });

  it('ignores frames after the deadline and before the challenge', () => {
    const c = challengeOf(['left', 'right']);
    const late = challengeFrames(HEAD, c.steps, { start: T0, msPerTurn: 7000 }); // second turn after the deadline
    expect(followSequence(c, late)).toMatchObject({ kind: 'not_followed', reason: 'incomplete' });
    const early = challengeFrames(HEAD, c.steps, { start: T0 - 60_000 });
    expect(followSequence(c, early)).toMatchObject({ kind: 'not_followed', reason: 'no_neutral' });
  });

  it('needs a frontal start: a photo of a turned face never gives one', () => {
    const c = challengeOf(['left']);
    // A head held at 35° throughout, turning a further 0-10° "left".
    const held = Array.from({ length: 20 }, (_, i) => ({ at: T0 + i * 100, landmarks: project(headPoints({ yaw: -35 + (i % 5) * 2.5 })) }));
    expect(followSequence(c, held)).toMatchObject({ kind: 'not_followed', reason: 'no_neutral' });
  });
});

describe('decideChallenge', () => {
  const steps: TurnDirection[] = ['right', 'left', 'right'];
  const c = challengeOf(steps);
  const done = T0 + 6000;

  it('passes a live head that follows the turns', () => {
    const d = decideChallenge(c, challengeFrames(HEAD, steps, { start: T0 }), done);
    expect(d.verdict, JSON.stringify(d)).toBe('live');
    expect(d.evidence.motion!.depthRatio).toBeLessThan(0.55);
    expect(d.evidence.passive.live).toBe(true);
  });

  it('refuses a flat photo turned 40° (its yaw never reaches a turn)', () => {
    const d = decideChallenge(c, challengeFrames({ kind: 'sheet', sheet: { kind: 'flat' } }, steps, { start: T0, peak: 40 }), done);
    expect(d).toMatchObject({ verdict: 'refused', reason: 'sequence_not_followed' });
  });

  it('refuses a strongly bent photo turned 45° as planar, although its yaw follows the turns', () => {
    const frames = challengeFrames({ kind: 'sheet', sheet: { kind: 'bent-vertical', radius: 250 } }, steps, { start: T0, peak: 45 });
    const d = decideChallenge(c, frames, done);
    expect(d.evidence.steps).toHaveLength(3);
    expect(d).toMatchObject({ verdict: 'refused', reason: 'planar' });
  });

  it('refuses when someone else takes over after the frontal frame', () => {
    const d = decideChallenge(c, challengeFrames(HEAD, steps, { start: T0, swapAt: 10 }), done);
    expect(d).toMatchObject({ verdict: 'refused', reason: 'identity_changed' });
  });

  it('refuses on the passive score, and names every failed check', () => {
    const d = decideChallenge(c, challengeFrames(HEAD, steps, { start: T0, liveness: 0.01, swapAt: 10 }), done);
    expect(d.verdict).toBe('refused');
    if (d.verdict === 'refused') {
      expect(d.reason).toBe('spoof');
      expect(d.findings.map((f) => f.reason)).toEqual(['spoof', 'identity_changed']);
    }
  });

  it('calls an unfinished sequence a timeout once the deadline has passed, and refuses no frames', () => {
    const frames = challengeFrames(HEAD, steps, { start: T0 }).slice(0, 12);
    expect(decideChallenge(c, frames, T0 + 2000)).toMatchObject({ reason: 'sequence_not_followed' });
    expect(decideChallenge(c, frames, c.deadline + 1)).toMatchObject({ reason: 'timeout' });
    expect(decideChallenge(c, [], done)).toMatchObject({ verdict: 'refused', reason: 'no_face' });
  });
});
