import { describe, expect, it } from 'vitest';
import type { FaceDecision } from '../../src/cameras/face-decision.js';
import { TrackVoting } from '../../src/cameras/voting.js';
import { employeeId } from '../../src/domain/ids.js';

const obama = employeeId(1);
const biden = employeeId(2);
const yes = (id: typeof obama, confidence = 0.7): FaceDecision => ({ kind: 'recognized', employeeId: id, confidence, method: 'cosine' });
const unknown = (confidence = 0.2): FaceDecision => ({ kind: 'unknown', reason: 'below_threshold', confidence });

describe('TrackVoting', () => {
  it('decides after three agreeing votes, exactly once', () => {
    const voting = new TrackVoting();
    expect(voting.vote(1, yes(obama), 0)).toMatchObject({ decided: false, identity: { kind: 'pending' } });
    expect(voting.vote(1, yes(obama), 40)).toMatchObject({ decided: false, identity: { kind: 'pending' } });
    const third = voting.vote(1, yes(obama, 0.8), 80);
    expect(third.decided).toBe(true);
    expect(third.identity).toMatchObject({ kind: 'recognized', employeeId: obama, method: 'cosine', decidedAt: 80, votes: 3 });
    if (third.identity.kind === 'recognized') {
      expect(third.identity.confidence).toBeCloseTo((0.7 + 0.7 + 0.8) / 3);
    }
    for (let i = 0; i < 20; i += 1) {
      expect(voting.vote(1, i % 2 === 0 ? yes(obama) : yes(biden, 0.99), 100 + i).decided).toBe(false);
    }
    expect(voting.identity(1)).toMatchObject({ kind: 'recognized', employeeId: obama });
  });

  it('never names someone from a single wrong frame', () => {
    const voting = new TrackVoting();
    const first = voting.vote(7, yes(biden, 0.95), 0); // a bad first frame, very sure of itself
    expect(first.identity.kind).toBe('pending');
    const outcomes = [yes(obama), yes(obama), yes(obama)].map((d, i) => voting.vote(7, d, 40 * (i + 1)));
    const decided = outcomes.filter((o) => o.decided);
    expect(decided).toHaveLength(1);
    expect(decided[0]!.identity).toMatchObject({ kind: 'recognized', employeeId: obama });
  });

  it('does not decide while votes disagree', () => {
    const voting = new TrackVoting();
    const sequence = [yes(obama), yes(biden), yes(obama), yes(biden), yes(obama), yes(biden)];
    for (const [i, d] of sequence.entries()) {
      expect(voting.vote(3, d, i).decided).toBe(false);
    }
    expect(voting.identity(3).kind).toBe('pending');
  });

  it('lets unknown votes hold a name back, and calls a stranger unknown without an event', () => {
    const voting = new TrackVoting();
    // Two weak matches among unknowns: not enough agreement for a name.
    for (const d of [unknown(), yes(obama, 0.46), unknown(), yes(obama, 0.46), unknown(), yes(obama, 0.46)]) {
      expect(voting.vote(4, d, 0).decided).toBe(false);
    }
    const stranger = new TrackVoting();
    for (let i = 0; i < 5; i += 1) {
      expect(stranger.vote(9, unknown(0.3), i).decided).toBe(false);
    }
    expect(stranger.identity(9)).toMatchObject({ kind: 'unknown' });
    expect(stranger.isSettled(9)).toBe(true);
  });

  it('lets an unknown verdict turn into a name once good frames outweigh it', () => {
    const voting = new TrackVoting({ window: 6 });
    for (let i = 0; i < 3; i += 1) {
      voting.vote(5, unknown(), i);
    }
    expect(voting.identity(5).kind).toBe('unknown');
    const results = [1, 2, 3, 4, 5].map((i) => voting.vote(5, yes(obama, 0.8), 10 + i));
    expect(results.filter((r) => r.decided)).toHaveLength(1);
    expect(voting.identity(5)).toMatchObject({ kind: 'recognized', employeeId: obama });
  });

  it('keeps tracks apart and forgets a lost one', () => {
    const voting = new TrackVoting();
    for (let i = 0; i < 3; i += 1) {
      voting.vote(1, yes(obama), i);
      voting.vote(2, yes(biden), i);
    }
    expect(voting.identity(1)).toMatchObject({ employeeId: obama });
    expect(voting.identity(2)).toMatchObject({ employeeId: biden });
    voting.forget(1);
    expect(voting.identity(1).kind).toBe('pending');
  });
});

describe('TrackVoting abstentions', () => {
  it('lets blurred or tiny faces abstain instead of voting unknown', () => {
    const voting = new TrackVoting();
    const blurred: FaceDecision = { kind: 'unknown', reason: 'low_quality', confidence: 0.5 };
    for (let i = 0; i < 5; i += 1) {
      expect(voting.vote(1, blurred, i).identity.kind).toBe('pending');
    }
    // Three good frames still decide at once: the blurred ones did not dilute them.
    voting.vote(1, yes(obama, 0.5), 10);
    voting.vote(1, yes(obama, 0.5), 11);
    expect(voting.vote(1, yes(obama, 0.5), 12)).toMatchObject({ decided: true, identity: { employeeId: obama } });
  });
});
