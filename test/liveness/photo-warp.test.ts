// The challenge against photo attacks made from the shared faces, read by the
// real detector, landmark model, embedder and passive model:
// - a print held flat and turned, or bent (around a vertical axis, the way a
//   sheet bends easily) and turned, following the asked turns as well as it can;
// - the photo warped so its nose slides sideways as in a head turn (how the
//   enrollment tests fake head turns from still photos: test/enrollment-service/).
// Every one must be refused. The printed photos also pass the passive model
// (they are sharp press photos): the challenge is what stops them here.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TurnDirection } from '../../src/liveness/challenge.js';
import { decideChallenge, type ChallengeDecision, type ChallengeFrame } from '../../src/liveness/decision.js';
import { yawProxy } from '../../src/liveness/yaw-proxy.js';
import { decodeImage } from '../../src/vision/image-decode.js';
import { FacepluginBackend } from '../../src/vision/faceplugin-backend.js';
import { LivenessModel } from '../../src/vision/liveness-model.js';
import { FacePipeline } from '../../src/engine/face-pipeline.js';
import type { Raster } from '../../src/vision/raster.js';
import { poseFrame, type SourcePhoto } from '../enrollment-service/pose-frames.js';
import { FACES_DIR } from '../helpers/shared-faces.js';
import { FACEPLUGIN_DIR } from '../vision/helpers/faces.js';
import { printPhoto, renderSheet, type Shape } from './photo-warp-frames.js';

const PHOTOS = ['people/obama/obama-1.jpg', 'people/biden/biden-1.jpg', 'people/rose_leslie/rose-1.jpg', 'people/alex_lacamoire/alex-1.jpg'];
const STEPS: TurnDirection[] = ['left', 'right', 'left'];
const T0 = 1_700_000_000_000;
const CHALLENGE = { steps: STEPS, issuedAt: T0, deadline: T0 + 10_500 };
/** Fractions of the peak turn per frame: frontal, then out and back for each turn. */
const RAMP = [0.5, 0.8, 1, 0.5, 0];

let backend: FacepluginBackend;
let pipeline: FacePipeline;
let liveness: LivenessModel;

beforeAll(async () => {
  backend = await FacepluginBackend.create({ packDir: FACEPLUGIN_DIR, intraOpThreads: 1, detectionThreshold: 0.7 });
  pipeline = FacePipeline.fromBackend(backend, 40_000_000);
  liveness = await LivenessModel.create(join(FACEPLUGIN_DIR, 'fr_liveness.onnx'));
}, 60_000);
afterAll(async () => {
  await pipeline.close();
  await liveness.close();
});

/** What the server makes of one camera frame: the largest face's landmarks, embedding and P(live). */
async function read(frame: Raster, at: number): Promise<ChallengeFrame | undefined> {
  const candidates = await backend.detect(frame, {});
  const analysis = await pipeline.analyzeRaster(frame);
  const c = candidates.sort((a, b) => b.box[3] - b.box[1] - (a.box[3] - a.box[1]))[0];
  const face = analysis.faces.find((f) => f.box === c?.box) ?? analysis.faces[0];
  if (!c?.landmarks68 || !face) {
    return undefined;
  }
  return { at, landmarks: c.landmarks68, embedding: face.embedding, liveness: (await liveness.score(frame, [c.box]))[0] };
}

/**
 * Frames for the challenge: `render(signedFraction)` draws the attack turned that far. The
 * attacker's best effort: whichever way of turning moves the yaw proxy towards 'left' is used
 * for the left turns.
 */
async function attack(render: (fraction: number) => Promise<Raster> | Raster): Promise<ChallengeDecision> {
  const [plus, minus] = [await read(await render(1), T0), await read(await render(-1), T0)];
  const flip = plus && minus && yawProxy(plus.landmarks) < yawProxy(minus.landmarks) ? -1 : 1;
  const fractions = [0, 0, ...STEPS.flatMap((s) => RAMP.map((f) => (s === 'left' ? f : -f) * flip))];
  const frames: ChallengeFrame[] = [];
  for (const [i, f] of fractions.entries()) {
    const frame = await read(await render(f), T0 + 300 + i * 400);
    if (frame) {
      frames.push(frame);
    }
  }
  return decideChallenge(CHALLENGE, frames, T0 + 9000);
}

/** A picture that does not move like a head: any of these, never a pass, never only "spoof" or "timeout". */
const PICTURE_REASONS = ['planar', 'sequence_not_followed', 'wrong_direction', 'identity_changed'];
const outcomes: string[] = [];

describe.each(PHOTOS)('photo attacks from %s', (photo) => {
  const bytes = readFileSync(`${FACES_DIR}${photo}`);

  it.each<[string, Shape]>([
    ['flat', { kind: 'flat' }],
    ['bent', { kind: 'bent-vertical', radius: 150 }],
  ])('refuses a %s print turned 40° each way', async (_, shape) => {
    const sheet = await printPhoto(backend, bytes);
    const d = await attack((f) => renderSheet(sheet, shape, 40 * f));
    expect(d.verdict, JSON.stringify(d)).toBe('refused');
    expect(d.evidence.passive.live).toBe(true); // the print itself fools the passive model
    if (d.verdict === 'refused') {
      expect(PICTURE_REASONS).toContain(d.reason);
      outcomes.push(d.reason);
    }
  });

  it('refuses a warped photo whose nose slides like a head turn', async () => {
    const image = await decodeImage(bytes, 40_000_000);
    const face = (await backend.detect(image, {}))[0]!;
    const src: SourcePhoto = { rgb: image.data, width: image.width, height: image.height, landmarks: face.points, faceSide: face.box[2] - face.box[0] };
    const d = await attack(async (f) => decodeImage(await poseFrame(src, { noseX: 0.7 * f, noseY: 0 }), 40_000_000));
    expect(d.verdict, JSON.stringify(d)).toBe('refused');
    if (d.verdict === 'refused') {
      expect(PICTURE_REASONS).toContain(d.reason);
      outcomes.push(d.reason);
    }
  });
});

describe('over all photo attacks', () => {
  it('refused every attack whose yaw followed the turns as planar', () => {
    // Flat prints never reach a turn; bent prints and nose warps sometimes do, and are then
    // caught by the 3D check (measured: 2 of 12 sequences reach it with these settings, both refused as planar with depth ratios 0.64 and 0.85).
    expect(outcomes).toHaveLength(PHOTOS.length * 3);
    expect(outcomes.filter((r) => r === 'planar').length).toBeGreaterThanOrEqual(1);
  });
});
