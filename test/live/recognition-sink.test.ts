// The recognition sink on its own: subscribers hear a decision before the
// database is touched, attendance writes run one at a time in decision order,
// the ring is bounded and filled in with names, and a failing write is
// reported, not thrown.
import { describe, expect, it } from 'vitest';
import type { RecognizedEvent } from '../../src/cameras/events.js';
import type { RecognitionEvent, RecordResult } from '../../src/attendance/types.js';
import { cameraId, employeeId, type EmployeeId } from '../../src/domain/ids.js';
import type { EmployeeLabel } from '../../src/live/employee-directory.js';
import { RecentRecognitions } from '../../src/live/recent-recognitions.js';
import { createRecognitionSink, liveEventId } from '../../src/live/recognition-sink.js';

const event = (trackId: number, employee: number, at = 1_000): RecognizedEvent => ({
  cameraId: cameraId(3),
  trackId,
  employeeId: employeeId(employee),
  confidence: 0.8,
  method: 'cosine',
  at,
  firstSeenAt: at - 100,
  frameNumber: trackId * 10,
  mediaTimeMs: null,
  box: [1, 2, 3, 4],
});

const directory = {
  lookup: (ids: Iterable<EmployeeId>) =>
    Promise.resolve(new Map<EmployeeId, EmployeeLabel>([...ids].map((id) => [id, { fullName: `Person ${id}`, employeeCode: `E${id}` }]))),
};
const silent = { warn() {}, error() {} };

describe('recognition sink', () => {
  it('publishes first, then records one write at a time, and fills the ring in', async () => {
    const order: string[] = [];
    let active = 0;
    let maxActive = 0;
    const recent = new RecentRecognitions(10);
    const sink = createRecognitionSink({
      publish: (e) => order.push(`publish ${e.trackId}`),
      recent,
      instanceId: 'test-instance',
      directory,
      sessionStart: () => 42,
      logger: silent,
      async recordRecognition(e: RecognitionEvent): Promise<RecordResult> {
        active += 1;
        maxActive = Math.max(maxActive, active);
        order.push(`write ${e.eventId}`);
        await new Promise((r) => setTimeout(r, 10));
        active -= 1;
        return e.employeeId === 7 ? { kind: 'logged', log: {} as never } : { kind: 'duplicate', reason: 'dedupe_window', existingLogId: 1 };
      },
    });
    await Promise.all([sink(event(1, 7)), sink(event(2, 8))]);
    expect(order).toEqual(['publish 1', 'publish 2', `write ${liveEventId(event(1, 7), 42)}`, `write ${liveEventId(event(2, 8), 42)}`]);
    expect(maxActive).toBe(1);
    expect(recent.list()).toMatchObject([
      { trackId: 2, employeeName: 'Person 8', employeeCode: 'E8', attendance: 'duplicate', instanceId: 'test-instance' },
      { trackId: 1, employeeName: 'Person 7', attendance: 'logged' },
    ]);
  });

  it('a failing write is reported as failed and does not block later ones', async () => {
    const recent = new RecentRecognitions(10);
    let calls = 0;
    const sink = createRecognitionSink({
      publish: () => undefined,
      recent,
      instanceId: 'test-instance',
      directory,
      sessionStart: () => null,
      logger: silent,
      recordRecognition() {
        calls += 1;
        return calls === 1 ? Promise.reject(new Error('db down')) : Promise.resolve({ kind: 'queued', eventId: 'x' });
      },
    });
    await sink(event(1, 7));
    await sink(event(2, 7));
    expect(recent.list().map((r) => r.attendance)).toEqual(['queued', 'failed']);
  });

  it('event ids differ per camera run, track and person, and fit the 64-character column', () => {
    const a = liveEventId(event(1, 7), 1_764_000_000_000);
    expect(a.length).toBeLessThanOrEqual(64);
    expect(new Set([a, liveEventId(event(1, 7), 1_764_000_000_001), liveEventId(event(2, 7), 1_764_000_000_000), liveEventId(event(1, 8), 1_764_000_000_000)]).size).toBe(4);
  });

  it('the ring keeps the newest entries only, filtered by camera', () => {
    const recent = new RecentRecognitions(3);
    for (let i = 0; i < 5; i++) {
      recent.add({ ...event(i, 7), cameraId: cameraId(i % 2), employeeName: null, employeeCode: null, attendance: 'pending', instanceId: 'test-instance' });
    }
    expect(recent.list().map((r) => r.trackId)).toEqual([4, 3, 2]);
    expect(recent.list({ cameraId: cameraId(0) }).map((r) => r.trackId)).toEqual([4, 2]);
    expect(recent.list({ limit: 1 }).map((r) => r.trackId)).toEqual([4]);
  });

  it('erasure drops a person from the ring', async () => {
    const recent = new RecentRecognitions(10);
    for (const [track, person] of [[1, 7], [2, 8], [3, 7]] as const) {
      recent.add({ ...event(track, person), employeeName: null, employeeCode: null, attendance: 'logged', instanceId: 'test-instance' });
    }
    await recent.forgetEmployee(employeeId(7));
    expect((await recent.read()).map((r) => r.trackId)).toEqual([2]);
  });
});
