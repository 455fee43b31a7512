// The overload probe of the trust issue, through the real HTTP server with the
// real engine: 300 concurrent recognize requests against one worker and a
// queue of 4. What does not fit is refused at once with 503 + Retry-After
// (REST) or a typed EngineBusyError (GraphQL); nothing is a 500; the engine
// serves normally afterwards.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RecognizeDocument } from '../graphql/generated.js';
import { readFacePhoto } from '../helpers/seed-faces.js';
import { startTestApp, type TestApp } from '../helpers/test-app.js';

const QUEUE_LIMIT = 4;
const BURST = 300;

let t: TestApp;
const frame = Buffer.from(readFacePhoto('probes/obama-small.jpg')).toString('base64');

beforeAll(async () => {
  t = await startTestApp({
    env: { WORKER_POOL_SIZE: '1', WORKER_INTRA_OP_THREADS: '1', WORKER_QUEUE_LIMIT: String(QUEUE_LIMIT), AUTO_RETRAIN: 'false' },
  });
}, 120_000);
afterAll(() => t?.stop());

const recognize = () =>
  t.rest<{ faces?: unknown[]; detail?: unknown }>('POST', '/api/v1/recognition/recognize', {
    body: { frame_data: frame, log_attendance: false },
  });

describe('recognize under overload', () => {
  it(`REST: ${BURST} concurrent requests get 200 or 503 with Retry-After, never 500`, async () => {
    const responses = await Promise.all(Array.from({ length: BURST }, recognize));
    const byStatus = new Map<number, number>();
    for (const r of responses) {
      byStatus.set(r.status, (byStatus.get(r.status) ?? 0) + 1);
    }
    expect([...byStatus.keys()].sort()).toEqual([200, 503]);
    const ok = responses.filter((r) => r.status === 200);
    const busy = responses.filter((r) => r.status === 503);
    // At least the worker's task and a full queue were served; the overflow was refused.
    expect(ok.length).toBeGreaterThanOrEqual(1 + QUEUE_LIMIT);
    expect(busy.length).toBeGreaterThan(BURST / 2);
    for (const r of ok) {
      expect(r.body.faces).toHaveLength(1);
    }
    for (const r of busy) {
      expect(Object.keys(r.body)).toEqual(['detail']);
      expect(r.body.detail).toMatch(/^face engine busy/);
      const retryAfter = Number(r.headers.get('retry-after'));
      expect(Number.isInteger(retryAfter) && retryAfter >= 1 && retryAfter <= 30).toBe(true);
    }

    // The refusals cost no worker: the engine is healthy and answers the next request.
    const after = await recognize();
    expect(after.status).toBe(200);
    const status = await t.rest<{ engine: { worker_restarts: number; queue_limit: number } }>('GET', '/api/v1/system/status');
    expect(status.body.engine).toMatchObject({ worker_restarts: 0, queue_limit: QUEUE_LIMIT });
  });

  it('GraphQL: the overflow is a typed EngineBusyError, never a top-level error', async () => {
    const results = await Promise.all(
      Array.from({ length: 100 }, () => t.gql(RecognizeDocument, { frame, logAttendance: false })),
    );
    expect(results.every((r) => r.status === 200 && r.errors === undefined)).toBe(true);
    const typenames = new Set(results.map((r) => r.data?.recognize.__typename));
    expect([...typenames].sort()).toEqual(['EngineBusyError', 'RecognitionResult']);
    for (const r of results) {
      const result = r.data!.recognize;
      if (result.__typename === 'EngineBusyError') {
        expect(result.code).toBe('ENGINE_BUSY');
        expect(result.message).toMatch(/^face engine busy/);
        expect(result.retryAfterSeconds).toBeGreaterThanOrEqual(1);
      }
    }
  });
});
