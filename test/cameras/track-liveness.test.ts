// Passive liveness per live-camera track: the median of its frames decides,
// a spoofed track never names anyone and is reported once; on the walk-by
// video (real capture, stand-in engine) the person shown as a photo is never
// recognized while the others are.
import { describe, expect, it } from 'vitest';
import type { CameraAttackEvent, RecognizedEvent } from '../../src/cameras/events.js';
import { CameraRunner } from '../../src/cameras/camera-runner.js';
import { TrackLiveness } from '../../src/cameras/track-liveness.js';
import type { TrackId } from '../../src/cameras/tracker.js';
import { cameraId, employeeId } from '../../src/domain/ids.js';
import { EMPLOYEE_OF, FakeWalkbyEngine, NAME_OF, fakeRecognize } from './fake-walkby-engine.js';
import { WALKBY_MP4, playToEnd, readWalkby } from './walkby.js';

const T = 7 as TrackId;
const recognized = { kind: 'recognized', employeeId: employeeId(3), confidence: 0.8, method: 'cosine' } as const;

describe('TrackLiveness', () => {
  it('judges a track by the median of its scores, so one odd frame changes nothing', () => {
    const l = new TrackLiveness({ threshold: 0.05, window: 15, minFrames: 3 });
    expect(l.verdict(T)).toEqual({ kind: 'unjudged' });
    l.record(T, 0.004);
    l.record(T, 0.6); // one frame that fools the model
    l.record(T, 0.002);
    expect(l.verdict(T)).toMatchObject({ kind: 'spoof', frames: 3, median: 0.004 });
    expect(l.filter(T, recognized)).toEqual({ kind: 'unknown', reason: 'spoof', confidence: 0.8 });
    expect(l.takeNewSpoof(T)).toBe(true);
    expect(l.takeNewSpoof(T)).toBe(false); // reported once
    const live = new TrackLiveness({ threshold: 0.05, window: 15, minFrames: 3 });
    live.record(T, 0.9);
    // Too few scores yet: the vote abstains rather than name someone.
    expect(live.filter(T, recognized)).toMatchObject({ kind: 'unknown', reason: 'liveness_pending' });
    for (const s of [0.01, 0.8]) {
      live.record(T, s);
    }
    expect(live.verdict(T).kind).toBe('live');
    expect(live.filter(T, recognized)).toBe(recognized);
    expect(live.takeNewSpoof(T)).toBe(false);
  });

  it('waits for minFrames before reporting, ignores unscored frames and forgets lost tracks', () => {
    const l = new TrackLiveness({ threshold: 0.05, window: 3, minFrames: 3 });
    l.record(T, 0.001);
    l.record(T, undefined);
    l.record(T, NaN);
    expect(l.verdict(T)).toMatchObject({ kind: 'spoof', frames: 1 });
    expect(l.takeNewSpoof(T)).toBe(false);
    l.forget(T);
    expect(l.verdict(T)).toEqual({ kind: 'unjudged' });
  });
});

describe('CameraRunner with liveness on the walk-by video', () => {
  it('never names the person shown as a photo, reports each of those tracks once, and names the others', async () => {
    const engine = new FakeWalkbyEngine({ spoofed: ['obama'] });
    const events: RecognizedEvent[] = [];
    const attacks: CameraAttackEvent[] = [];
    const runner = new CameraRunner({
      cameraId: cameraId(1),
      source: { kind: 'file', path: WALKBY_MP4, loop: false },
      realtime: false,
      engine,
      recognize: fakeRecognize,
      liveness: { threshold: 0.05, window: 15, minFrames: 3 },
      onRecognized: (e) => events.push(e),
      onPresentationAttack: (e) => attacks.push(e),
    });
    runner.start();
    await playToEnd(runner);
    await runner.stop();
    const names = new Set(events.map((e) => NAME_OF.get(e.employeeId)));
    expect(names.has('obama')).toBe(false);
    expect(names).toEqual(new Set(['biden', 'kit_harington', 'rose_leslie', 'alex_lacamoire']));
    // Obama walks by twice (walkby.csv): one report per track, naming him.
    const obamaSegments = readWalkby().filter((s) => s.people.includes('obama')).length;
    expect(attacks.length).toBe(obamaSegments);
    for (const a of attacks) {
      expect(a.resembled?.employeeId).toBe(EMPLOYEE_OF.obama);
      expect(a.livenessScore).toBeLessThan(0.05);
      expect(new Set(attacks.map((x) => x.trackId)).size).toBe(attacks.length);
    }
  });
});
