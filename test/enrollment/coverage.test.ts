// Coverage from synthetic pose sequences, driven through evaluateFrame as the
// service will drive it.
import { describe, expect, it } from 'vitest';
import { createRng as seededRandom } from '../../src/math/seeded-random.js';
import {
  addCandidate,
  coverageSummary,
  createCoverage,
  mergeCoverageParams,
  type CoverageState,
} from '../../src/enrollment/coverage.js';
import { evaluateFrame, type FrameResult } from '../../src/enrollment/frame-feedback.js';
import { instruction } from '../../src/enrollment/instruction.js';
import { planSessionCompletion } from '../../src/enrollment/completion.js';
import { analysis, face, frameEmbedding, personVector, poseAt } from './fixtures.js';

const person = personVector(1);

interface Step {
  yaw: number;
  pitch: number;
}

function run(steps: Step[], state: CoverageState = createCoverage(), start = 0): { state: CoverageState; results: FrameResult[] } {
  const results: FrameResult[] = [];
  steps.forEach((p, i) => {
    const n = start + i;
    const r = evaluateFrame(
      state,
      { kind: 'analysis', analysis: analysis([face({ ...p, embedding: frameEmbedding(person, 1000 + n) })]) },
      { frameNumber: n, timestamp: n * 200 },
    );
    results.push(r);
    state = r.state;
  });
  return { state, results };
}

const hold = (p: Step, n: number): Step[] => Array.from({ length: n }, () => p);

describe('coverage from synthetic pose sequences', () => {
  it('a full circle completes: centre, then the head turned round at 22°', () => {
    const circle: Step[] = [];
    for (let angle = 0; angle < 360; angle += 15) {
      circle.push(poseAt(angle, 22), poseAt(angle, 22));
    }
    const { state, results } = run([...hold({ yaw: 0, pitch: 0 }, 3), ...circle]);
    const last = results.at(-1)!.feedback;
    expect(last.status).toBe('accepted');
    expect(last.coveredSectors).toEqual(['centre', 'left', 'up-left', 'up', 'up-right', 'right', 'down-right', 'down', 'down-left']);
    expect(last.missingSectors).toEqual([]);
    expect(last.progress).toBe(1);
    expect(last.complete).toBe(true);
    expect(last.instruction).toBe('All done — tap Complete');
    // Progress never goes backwards.
    const ps = results.map((r) => r.feedback.progress);
    expect(ps.every((p, i) => i === 0 || p >= ps[i - 1]!)).toBe(true);
    const plan = planSessionCompletion(state);
    expect(plan.ok).toBe(true);
    const summary = coverageSummary(state);
    expect(JSON.parse(JSON.stringify(summary))).toEqual(summary);
    expect(summary).toMatchObject({ complete: true, progress: 1, framesSeen: 51, framesAccepted: 51, neutralPitch: 0 });
  });

  it('only centre and left: incomplete, asks for the neighbouring direction', () => {
    const { state, results } = run([...hold({ yaw: 0, pitch: 0 }, 3), ...hold({ yaw: 22, pitch: 0 }, 3)]);
    const fb = results.at(-1)!.feedback;
    expect(fb.coveredSectors).toEqual(['centre', 'left']);
    expect(fb.complete).toBe(false);
    expect(fb.progress).toBeCloseTo(2 / 7);
    expect(fb.instruction).toBe('Tilt your head up and to the left');
    const plan = planSessionCompletion(state);
    expect(plan.ok).toBe(false);
    expect(!plan.ok && plan.reason).toBe('insufficient_coverage');
    expect(!plan.ok && plan.message).toMatch(/1 of 6 required directions/);
  });

  it('guides from the start: look straight, then turn left', () => {
    expect(instruction(createCoverage()).text).toBe('Look straight at the camera');
    const afterOne = run([{ yaw: 0, pitch: 0 }]);
    // One centre frame is not enough to cover it: the user is already there, so hold.
    expect(afterOne.results[0]!.feedback.instruction).toBe('Hold still');
    const centred = run(hold({ yaw: 0, pitch: 0 }, 2));
    expect(centred.results.at(-1)!.feedback.coveredSectors).toEqual(['centre']);
    expect(centred.results.at(-1)!.feedback.instruction).toBe('Turn your head slowly to the left');
  });

  it('asks for the missing direction nearest the current pose', () => {
    // Centre and the whole left half covered; the head now points down-right.
    const steps = [
      ...hold({ yaw: 0, pitch: 0 }, 2),
      ...['left', 'up-left', 'up', 'down', 'down-left'].flatMap((_, i) => hold(poseAt([0, 45, 90, 270, 315][i]!, 22), 2)),
    ];
    const { state } = run(steps);
    const ins = instruction(state, { faceStatus: 'one_face', quality: { reasons: [] }, pose: poseAt(290, 22) });
    expect(ins.target).toBe('down-right');
    expect(ins.text).toBe('Tilt your head down and to the right');
  });

  it('jitter around the centre covers nothing else, and jitter at 22° left covers only left', () => {
    const rnd = seededRandom(7);
    const jitter = (a: number) => (rnd() * 2 - 1) * a;
    const still = Array.from({ length: 200 }, () => ({ yaw: jitter(5), pitch: jitter(5) }));
    const a = run(still);
    expect(a.results.at(-1)!.feedback.coveredSectors).toEqual(['centre']);
    const left = Array.from({ length: 100 }, () => ({ yaw: 22 + jitter(6), pitch: jitter(5) }));
    const b = run(left, a.state, 1000);
    expect(b.results.at(-1)!.feedback.coveredSectors).toEqual(['centre', 'left']);
  });

  it('a single mis-estimated frame does not cover a sector', () => {
    const { results } = run([...hold({ yaw: 0, pitch: 0 }, 5), { yaw: -25, pitch: 0 }, ...hold({ yaw: 0, pitch: 0 }, 5)]);
    expect(results[5]!.feedback.status).toBe('accepted');
    expect(results.at(-1)!.feedback.coveredSectors).toEqual(['centre']);
  });

  it('the requirement is configurable', () => {
    const six = [...hold({ yaw: 0, pitch: 0 }, 2), ...[0, 45, 90, 135, 180, 225].flatMap((a) => hold(poseAt(a, 22), 2))];
    const def = run(six);
    expect(def.results.at(-1)!.feedback.complete).toBe(true);
    const all8 = run(six, createCoverage(mergeCoverageParams({ requirement: { ringMin: 8 } })));
    expect(all8.results.at(-1)!.feedback.complete).toBe(false);
    expect(all8.results.at(-1)!.feedback.progress).toBeCloseTo(7 / 9);
    // Covered up to down-right (225°): the nearest missing direction is down.
    expect(all8.results.at(-1)!.feedback.instruction).toBe('Tilt your head down');
    const centreOnly = run(hold({ yaw: 0, pitch: 0 }, 2), createCoverage(mergeCoverageParams({ requirement: { ringMin: 0 } })));
    expect(centreOnly.results.at(-1)!.feedback.complete).toBe(true);
    expect(() => mergeCoverageParams({ requirement: { ringMin: 9 } })).toThrow(RangeError);
  });

  it('calibrates the neutral pitch from the first frontal frames (per-face estimator bias)', () => {
    // This face reads pitch -12 when looking straight (alex-1.jpg reads -14.8).
    const biased = (p: Step): Step => ({ yaw: p.yaw, pitch: p.pitch - 12 });
    const circle: Step[] = [];
    for (let angle = 0; angle < 360; angle += 15) {
      circle.push(biased(poseAt(angle, 22)), biased(poseAt(angle, 22)));
    }
    const steps = [...hold(biased({ yaw: 0, pitch: 0 }), 3), ...circle];
    const calibrated = run(steps);
    expect(calibrated.state.pitchSamples).toEqual([-12, -12, -12]);
    expect(calibrated.results[0]!.feedback.sector).toBe('centre');
    expect(calibrated.results.at(-1)!.feedback.missingSectors).toEqual([]);
    const fixed = run(steps, createCoverage(mergeCoverageParams({ calibration: { enabled: false } })));
    expect(fixed.results[0]!.feedback.sector).toBe('down');
    // Uncalibrated, the same circle never reaches the upper sectors.
    expect(fixed.results.at(-1)!.feedback.missingSectors).toEqual(['up-left', 'up', 'up-right']);
  });

  it('does not calibrate from a turned head', () => {
    const { state } = run([{ yaw: 25, pitch: -10 }, { yaw: 25, pitch: -10 }]);
    expect(state.pitchSamples).toEqual([]);
  });

  it('states are immutable and keep only the best candidates per sector', () => {
    const s0 = createCoverage(mergeCoverageParams({ maxCandidatesPerSector: 3 }));
    let s = s0;
    const scores = [0.5, 0.9, 0.2, 0.7, 0.8];
    scores.forEach((q, i) => {
      s = addCandidate(s, { frameNumber: i, timestamp: i, sector: 'centre', pose: { yaw: 0, pitch: 0, roll: 0 }, qualityScore: q, faceSize: 200 });
    });
    expect(s0.hits.centre).toBe(0);
    expect(s0.candidates.centre).toHaveLength(0);
    expect(s.hits.centre).toBe(5);
    expect(s.candidates.centre.map((c) => c.qualityScore)).toEqual([0.9, 0.8, 0.7]);
  });
});
