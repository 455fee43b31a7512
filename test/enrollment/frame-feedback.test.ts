import { describe, expect, it } from 'vitest';
import { createCoverage, type CoverageState } from '../../src/enrollment/coverage.js';
import { chooseFace } from '../../src/enrollment/face-choice.js';
import { evaluateFrame, type FrameInput, type FrameResult } from '../../src/enrollment/frame-feedback.js';
import { isPlausibleFace } from '../../src/enrollment/landmark-geometry.js';
import { analysis, face, frameEmbedding, personVector, type FaceSpec } from './fixtures.js';

const alice = personVector(11);
const bob = personVector(22);
let n = 0;

function submit(state: CoverageState, input: FrameInput): FrameResult {
  n += 1;
  return evaluateFrame(state, input, { frameNumber: n, timestamp: n * 100 });
}
const one = (spec: FaceSpec = {}): FrameInput => ({
  kind: 'analysis',
  analysis: analysis([face({ embedding: frameEmbedding(alice, n + 500), ...spec })]),
});

describe('frame feedback', () => {
  it('an unreadable image is rejected with its own status, and the session goes on', () => {
    const s0 = createCoverage();
    const bad = submit(s0, { kind: 'invalid_image', message: 'not a JPEG' });
    expect(bad.feedback).toMatchObject({ status: 'rejected', faceStatus: 'invalid_image', rejection: 'invalid_image', faceCount: 0 });
    expect(bad.feedback.instruction).toMatch(/could not be read/);
    expect(bad.state.framesSeen).toBe(1);
    expect(bad.state.framesAccepted).toBe(0);
    const good = submit(bad.state, one());
    expect(good.feedback.status).toBe('accepted');
    expect(good.state.framesAccepted).toBe(1);
  });

  it('no face: rejected, asked to look at the camera', () => {
    const r = submit(createCoverage(), { kind: 'analysis', analysis: analysis([]) });
    expect(r.feedback).toMatchObject({ status: 'rejected', faceStatus: 'no_face', instruction: 'Look straight at the camera' });
  });

  it('three faces of similar size: rejected as multiple faces', () => {
    const three = analysis([face({ cx: 150, size: 120 }), face({ cx: 320, size: 130 }), face({ cx: 500, size: 110 })]);
    const r = submit(createCoverage(), { kind: 'analysis', analysis: three });
    expect(r.feedback).toMatchObject({ status: 'rejected', faceStatus: 'multiple_faces', faceCount: 3 });
    expect(r.feedback.instruction).toBe('Only one person in view, please');
  });

  it('a large centred face with a small one far behind is accepted as dominant', () => {
    const frame = analysis([face({ size: 70, cx: 580, cy: 80, score: 0.99 }), face({ size: 220, embedding: frameEmbedding(alice, 1) })]);
    const r = submit(createCoverage(), { kind: 'analysis', analysis: frame });
    expect(r.feedback.status).toBe('accepted');
    expect(r.feedback.status === 'accepted' && r.feedback.dominantFace).toBe(true);
    expect(r.feedback.faceCount).toBe(2);
    // Not dominant when the runner-up is close in size, or the large face is at the edge.
    expect(chooseFace(analysis([face({ size: 150, cx: 100 }), face({ size: 200 })])).kind).toBe('multiple');
    expect(chooseFace(analysis([face({ size: 60, cx: 320 }), face({ size: 220, cx: 560 })])).kind).toBe('multiple');
  });

  it.each([
    [{ size: 40 }, 'too_small', 'Move closer'],
    [{ brightness: 20 }, 'too_dark', 'More light needed'],
    [{ brightness: 245 }, 'too_bright', 'Too bright — avoid strong light behind or on you'],
    [{ issues: ['blur'] }, 'blur', 'Hold still'],
    [{ score: 0.72 }, 'occluded', 'Keep your face uncovered (no hand, mask or hair over it)'],
    [{ cx: 610 }, 'cut_off', 'Move your face to the middle of the picture'],
    [{ yaw: 55 }, 'extreme_pose', 'Not so far — turn back a little'],
    [{ roll: 50 }, 'extreme_pose', 'Not so far — turn back a little'],
  ] as const)('low quality %j → %s', (spec, reason, text) => {
    const r = submit(createCoverage(), one(spec as FaceSpec));
    expect(r.feedback).toMatchObject({ status: 'rejected', faceStatus: 'one_face', rejection: 'low_quality', instruction: text });
    expect(r.feedback.quality.ok).toBe(false);
    expect(r.feedback.quality.reasons).toContain(reason);
    expect(r.state.framesAccepted).toBe(0);
  });

  it('landmarks that are not shaped like a face read as occluded', () => {
    const f = face();
    const [le, re, nose, lm, rm] = f.landmarks;
    // Mouth drawn up onto the nose, as when a hand covers the lower face.
    const squashed = [le, re, nose, [lm[0], nose[1] + 1], [rm[0], nose[1] + 1]] as const;
    expect(isPlausibleFace(f.landmarks)).toBe(true);
    expect(isPlausibleFace(squashed)).toBe(false);
    const r = submit(createCoverage(), one({ landmarks: squashed }));
    expect(r.feedback.quality.reasons).toEqual(['occluded']);
  });

  it("ignores the engine's extreme_pose flag inside the ring (enrollment wants turned heads)", () => {
    const r = submit(createCoverage(), one({ yaw: 30, issues: ['extreme_pose'] }));
    expect(r.feedback.status).toBe('accepted');
    expect(r.feedback.sector).toBe('left');
  });

  it('a pose between centre and ring counts for nothing', () => {
    const r = submit(createCoverage(), one({ yaw: 10 }));
    expect(r.feedback).toMatchObject({ status: 'rejected', rejection: 'between_sectors', faceStatus: 'one_face' });
    expect(r.feedback.quality.ok).toBe(true);
  });

  it('someone else stepping in is rejected once the session knows its person', () => {
    let s = createCoverage();
    s = submit(s, one()).state;
    s = submit(s, one()).state;
    const other = submit(s, one({ embedding: frameEmbedding(bob, 3) }));
    expect(other.feedback).toMatchObject({ status: 'rejected', rejection: 'different_person' });
    expect(other.feedback.instruction).toBe('Only the person being enrolled should be in view');
    expect(other.state.framesAccepted).toBe(2);
    expect(submit(other.state, one()).feedback.status).toBe('accepted');
  });

  it('a re-sent frame number is rejected and changes nothing', () => {
    const s0 = createCoverage();
    const first = evaluateFrame(s0, one(), { frameNumber: 7, timestamp: 1 });
    const again = evaluateFrame(first.state, one(), { frameNumber: 7, timestamp: 1 });
    expect(again.feedback).toMatchObject({ status: 'rejected', rejection: 'duplicate_frame' });
    expect(again.state).toBe(first.state);
    const badAgain = evaluateFrame(first.state, { kind: 'invalid_image' }, { frameNumber: 7, timestamp: 1 });
    expect(badAgain.feedback).toMatchObject({ status: 'rejected', rejection: 'duplicate_frame' });
    expect(badAgain.state).toBe(first.state);
  });

  it('feedback carries pose, sector and coverage', () => {
    const r = submit(createCoverage(), one({ yaw: -25, pitch: 2, roll: 3 }));
    expect(r.feedback).toMatchObject({
      status: 'accepted',
      pose: { yaw: -25, pitch: 2, roll: 3 },
      sector: 'right',
      coveredSectors: [],
      newlyCovered: false,
    });
    expect(r.feedback.missingSectors).toHaveLength(9);
    expect(r.candidate?.embedding).toBeInstanceOf(Float32Array);
  });
});
