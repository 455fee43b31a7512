// The kiosk challenge end to end through the real server (LIVENESS_MODE=challenge):
// - a kiosk's plain recognize no longer checks anyone in;
// - a head-turn sequence made by warping a still photo of an enrolled person
//   (the nose slides as in a turn, as the enrollment tests fake head turns),
//   sent frame by frame for the turns the server asked: refused as planar,
//   reported, never logged (GraphQL);
// - a passing flow (REST): no real 3D head video exists on these machines, so
//   the landmarks of a synthetic 3D head turning as asked are put on the real
//   frames at the engine boundary (landmark-seam-engine.ts); detection,
//   embedding, passive liveness, recognition and the check-in are real.
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TurnDirection } from '../../src/liveness/challenge.js';
import { yawProxy } from '../../src/liveness/yaw-proxy.js';
import { decodeImage } from '../../src/vision/image-decode.js';
import { poseFrame, type SourcePhoto } from '../enrollment-service/pose-frames.js';
import { FinishLivenessChallengeDocument, StartLivenessChallengeDocument, SubmitChallengeFrameDocument } from '../graphql/generated.js';
import { seedPeopleFromPhotos, type SeededPerson } from '../helpers/seed-faces.js';
import { FACES_DIR } from '../helpers/shared-faces.js';
import { startTestEngine } from '../helpers/test-engine.js';
import { startTestApp, type TestApp } from '../helpers/test-app.js';
import { headPoints, project } from './head-model.js';
import { LandmarkSeamEngine } from './landmark-seam-engine.js';

let t: TestApp;
let engine: LandmarkSeamEngine;
let kioskKey: string;
let obama: SeededPerson;
const b64 = (bytes: Uint8Array): string => Buffer.from(bytes).toString('base64');

/** Per frame, the signed fraction of a full turn (+ = the person's left): frontal, then out and back per turn. */
function turnPlan(steps: readonly TurnDirection[]): number[] {
  return [0, 0, ...steps.flatMap((s) => [0.6, 1, 0].map((f) => (s === 'left' ? f : -f)))];
}

beforeAll(async () => {
  engine = new LandmarkSeamEngine(await startTestEngine({ workers: 1 }));
  t = await startTestApp({
    env: { LIVENESS_MODE: 'challenge', AUTO_RETRAIN: 'false', AUGMENTATION_COUNT: '2' },
    overrides: { faceEngine: engine },
  });
  obama = (await seedPeopleFromPhotos(t.app, ['obama']))[0]!;
  kioskKey = await t.createKey('kiosk');
}, 120_000);
afterAll(async () => {
  await t?.stop();
  await engine?.close();
});

describe('LIVENESS_MODE=challenge', () => {
  it("does not check anyone in from a kiosk's plain recognize", async () => {
    const res = await t.rest<{ faces: { employee_id: number | null; attendance?: unknown }[] }>('POST', '/api/v1/recognition/recognize', {
      body: { frame_data: b64(readFileSync(`${FACES_DIR}probes/obama-press.jpg`)) },
      key: kioskKey,
    });
    expect(res.body.faces[0]!.employee_id).toBe(obama.employee.id);
    expect(res.body.faces[0]!.attendance).toBeUndefined();
  });

  it('refuses a head turn made by warping a still photo as planar, and never logs it (GraphQL)', async () => {
    const bytes = readFileSync(`${FACES_DIR}people/obama/obama-1.jpg`);
    const image = await decodeImage(bytes, 40_000_000);
    const face = (await engine.analyze(bytes, { embed: false })).faces[0]!;
    const src: SourcePhoto = { rgb: image.data, width: image.width, height: image.height, landmarks: face.landmarks, faceSide: face.box[2] - face.box[0] };
    // The attacker's best effort: for each direction, the warp that moves the yaw proxy by 0.6.
    const yawOf = async (noseX: number) => yawProxy((await engine.analyze(await poseFrame(src, { noseX, noseY: 0 }), { landmarks68: true, embed: false })).faces[0]!.landmarks68!);
    const [y0, yPlus] = [await yawOf(0), await yawOf(0.5)];
    const perUnit = (yPlus - y0) / 0.5;

    const started = await t.gql(StartLivenessChallengeDocument, {}, kioskKey);
    const c = started.data?.startLivenessChallenge;
    if (c?.__typename !== 'LivenessChallenge') {
      throw new Error(JSON.stringify(started));
    }
    for (const f of turnPlan(c.steps)) {
      const frame = await poseFrame(src, { noseX: (0.6 * f) / perUnit, noseY: 0 });
      const fed = await t.gql(SubmitChallengeFrameDocument, { challengeId: c.id, frame: b64(frame) }, kioskKey);
      expect(fed.data?.submitChallengeFrame.__typename).toBe('ChallengeFrameFeedback');
    }
    const res = await t.gql(FinishLivenessChallengeDocument, { challengeId: c.id }, kioskKey);
    const r = res.data?.finishLivenessChallenge;
    expect(r?.__typename).toBe('ChallengeResult');
    if (r?.__typename === 'ChallengeResult') {
      expect(r, JSON.stringify(r)).toMatchObject({ verdict: 'refused', reason: 'planar', employee: null, attendance: null });
      expect(r.livenessScore).toBeGreaterThan(0.05); // the warped photo fools the passive model: the 3D check stops it
      expect(r.depthRatio).toBeGreaterThan(0.55);
    }
    expect(await t.app.deps.prisma.attendanceLog.count({ where: { employeeId: obama.employee.id } })).toBe(0);
    const audit = await t.app.deps.prisma.auditLog.findFirst({ where: { action: 'liveness.presentation_attack', entityId: String(obama.employee.id) } });
    expect(audit?.reason).toMatch(/picture/);
  });

  it('checks in a head that turns as asked (synthetic 3D landmarks on real frames, REST)', async () => {
    const photo = b64(readFileSync(`${FACES_DIR}probes/obama-press.jpg`));
    const started = await t.rest<{ challenge_id: string; steps: TurnDirection[]; deadline: string }>('POST', '/api/v1/liveness/challenges', {
      body: {},
      key: kioskKey,
    });
    expect(started.status).toBe(201);
    const { challenge_id: id, steps } = started.body;
    let last: { turns_done: number; instruction: string | null } | undefined;
    for (const f of turnPlan(steps)) {
      engine.push(project(headPoints({ yaw: 30 * f, pitch: 2 })));
      const fed = await t.rest<{ accepted: boolean; turns_done: number; instruction: string | null }>('POST', `/api/v1/liveness/challenges/${id}/frames`, {
        body: { frame_data: photo },
        key: kioskKey,
      });
      expect(fed.status).toBe(200);
      expect(fed.body.accepted).toBe(true);
      last = fed.body;
    }
    expect(engine.pending).toBe(0);
    expect(last).toMatchObject({ turns_done: 3, instruction: null });
    const result = await t.rest<Record<string, unknown>>('POST', `/api/v1/liveness/challenges/${id}/result`, { key: kioskKey });
    expect(result.status).toBe(200);
    expect(result.body).toMatchObject({ verdict: 'live', reason: null, employee_id: obama.employee.id, attendance: { status: 'logged' } });
    // Idempotent: asking again is the same check-in, not a second one.
    const again = await t.rest<Record<string, unknown>>('POST', `/api/v1/liveness/challenges/${id}/result`, { key: kioskKey });
    expect(again.body).toMatchObject({ verdict: 'live', employee_id: obama.employee.id });
    expect(await t.app.deps.prisma.attendanceLog.count({ where: { employeeId: obama.employee.id } })).toBe(1);
  });

  it("keeps a kiosk out of another kiosk's challenge and answers unknown ids with 404", async () => {
    const started = await t.rest<{ challenge_id: string }>('POST', '/api/v1/liveness/challenges', { body: {}, key: kioskKey });
    const other = await t.createKey('kiosk');
    const res = await t.rest('POST', `/api/v1/liveness/challenges/${started.body.challenge_id}/result`, { key: other });
    expect(res.status).toBe(403);
    expect((await t.rest('POST', '/api/v1/liveness/challenges/nope/result', { key: kioskKey })).status).toBe(404);
    expect((await t.rest('POST', '/api/v1/liveness/challenges', { body: {}, key: await t.createKey('viewer') })).status).toBe(403);
  });
});
