// The overload probe of the trust issue against a production server with every
// limit of this issue in place (rate limits, GraphQL limits): 300 concurrent
// recognize requests from one kiosk. The engine's own share is covered in
// test/engine/overload-http.test.ts; here: nothing is a 500, every refusal
// says when to retry, and the database holds exactly the logs of the answers
// that reported one.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestApp } from '../helpers/test-app.js';
import { seedPeopleFromPhotos } from '../helpers/seed-faces.js';
import { photoBase64, startProductionApp } from './fixture.js';

let t: TestApp;
let kiosk: string;

beforeAll(async () => {
  t = await startProductionApp({
    env: { WORKER_POOL_SIZE: '1', WORKER_INTRA_OP_THREADS: '1', WORKER_QUEUE_LIMIT: '4', AUTO_RETRAIN: 'false', AUGMENTATION_COUNT: '1', ATTENDANCE_DEDUPE_MINUTES: '0' },
  });
  await seedPeopleFromPhotos(t.app, ['obama']);
  kiosk = await t.createKey('kiosk');
}, 120_000);
afterAll(() => t?.stop());

describe('300 concurrent recognize requests, production limits', () => {
  it('answer 200 or 503/429 with Retry-After, never 500; every reported log exists once', async () => {
    const frame = photoBase64('probes/obama-small.jpg');
    const responses = await Promise.all(
      Array.from({ length: 300 }, () =>
        t.rest<{ faces?: { attendance?: { status: string; log_id: number | null } }[]; detail?: string }>('POST', '/api/v1/recognition/recognize', {
          key: kiosk,
          body: { frame_data: frame },
        }),
      ),
    );
    const statuses = new Set(responses.map((r) => r.status));
    expect([...statuses].every((s) => s === 200 || s === 503 || s === 429)).toBe(true);
    for (const r of responses.filter((x) => x.status !== 200)) {
      expect(Number(r.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
      expect(JSON.stringify(r.body)).not.toMatch(/stack|node_modules|prisma/i);
    }
    const logIds = responses.flatMap((r) => (r.body.faces ?? []).flatMap((f) => (f.attendance?.status === 'logged' ? [f.attendance.log_id] : [])));
    expect(new Set(logIds).size).toBe(logIds.length);
    expect(await t.db.prisma.attendanceLog.count()).toBe(logIds.length);
    expect(logIds.length).toBeGreaterThanOrEqual(5);
  }, 120_000);
});
