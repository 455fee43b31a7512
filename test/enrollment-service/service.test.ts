// The enrollment service below the APIs: frames analysed concurrently are
// applied in submission order (a slow first frame does not let later ones
// overtake it), and augmentation inside the face workers gives exactly what the
// main-thread path gives.
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { augmentEncodedCrop } from '../../src/enrollment/decode-crop.js';
import type { EnrollmentProgressEvent } from '../../src/enrollment/events.js';
import { startTestApp, type TestApp } from '../helpers/test-app.js';
import { headTurnFrames } from './pose-frames.js';
import { FACES_DIR as FACES } from '../helpers/shared-faces.js';

let t: TestApp;
let frames: Uint8Array[];

beforeAll(async () => {
  t = await startTestApp({ env: { WORKER_POOL_SIZE: '2', AUTO_RETRAIN: 'false' } });
  frames = await headTurnFrames(t.app.deps.faceEngine!, readFileSync(resolve(FACES, 'people/rose_leslie/rose-1.jpg')), { perSector: 1 });
}, 120_000);

afterAll(async () => {
  await t?.stop();
});

describe('enrollment service', () => {
  it('applies concurrently analysed frames in submission order', async () => {
    const service = t.app.services.enrollment;
    const session = await service.startSession(null, { employee: { employeeCode: 'ORDER-1', fullName: 'Order' } });
    const published: number[] = [];
    const events = t.app.deps.pubsub.subscribe('enrollmentProgress', session.id)[Symbol.asyncIterator]();
    const collecting = (async () => {
      for (let i = 0; i < 8; i++) {
        const next: IteratorResult<EnrollmentProgressEvent> = await events.next();
        published.push(next.done ? -1 : (next.value.feedback?.frameNumber ?? -1));
      }
    })();
    // Frame 0 is a 1920x1080 photo (slowest to decode and detect); the rest are 640x480.
    const big = readFileSync(resolve(FACES, 'probes/obama-portrait-1080p.jpg'));
    const inputs = [big, ...frames.slice(0, 7)];
    const feedback = await Promise.all(inputs.map((bytes, n) => service.submitFrame(null, session.id, bytes, { frameNumber: n, timestamp: n })));
    await collecting;
    await events.return?.();
    expect(feedback.map((f) => f.frameNumber)).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
    expect(published).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
    expect((await service.getSession(null, session.id)).frameCount).toBe(8);
    await service.cancel(null, session.id);
  });

  it('expires sessions a previous run left active (their frames were in memory)', async () => {
    const old = await t.db.prisma.enrollmentSession.create({
      data: { id: 'previous-run-0000-0000-000000000001', status: 'active', createdAt: new Date(Date.now() - 60_000), expiresAt: new Date(Date.now() + 600_000) },
    });
    await t.app.services.enrollment.start();
    const row = await t.db.prisma.enrollmentSession.findUniqueOrThrow({ where: { id: old.id } });
    expect(row).toMatchObject({ status: 'expired', failureReason: 'server restarted' });
    const frame = await t.rest('POST', `/api/v1/employees/register/frame/${old.id}`, { body: { frame_data: Buffer.from(frames[0]!).toString('base64'), frame_number: 0 } });
    expect(frame.status).toBe(410);
  });

  it('augments and embeds inside the workers exactly as on the main thread', async () => {
    const engine = t.app.deps.faceEngine!;
    const analysis = await engine.analyze(frames[0]!, { alignedCrops: true });
    const crop = analysis.faces[0]!.alignedJpeg!;
    const inWorker = await engine.augmentAndEmbed!([crop, crop], 3, [11, 12]);
    const local = await engine.embedAligned([...(await augmentEncodedCrop(crop, 3, 11)), ...(await augmentEncodedCrop(crop, 3, 12))]);
    expect(inWorker).toHaveLength(6);
    inWorker.forEach((v, i) => {
      let dot = 0;
      for (let k = 0; k < v.length; k++) {
        dot += v[k]! * local[i]![k]!;
      }
      expect(dot).toBeGreaterThan(0.9999);
    });
    // Different seeds give different variants.
    let cross = 0;
    for (let k = 0; k < inWorker[1]!.length; k++) {
      cross += inWorker[1]![k]! * inWorker[4]![k]!;
    }
    expect(cross).toBeLessThan(0.9999);
  });
});
