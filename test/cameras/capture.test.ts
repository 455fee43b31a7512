// The capture worker on the real walk-by video and on sources that fail.
import { describe, expect, it } from 'vitest';
import { CameraCapture, type CaptureState, type CapturedFrame } from '../../src/cameras/capture.js';
import { WALKBY_MP4 } from './walkby.js';

function until(check: () => boolean, timeoutMs: number): Promise<void> {
  const started = Date.now();
  return new Promise((resolve, reject) => {
    const timer = setInterval(() => {
      if (check()) {
        clearInterval(timer);
        resolve();
      } else if (Date.now() - started > timeoutMs) {
        clearInterval(timer);
        reject(new Error(`timed out after ${timeoutMs} ms`));
      }
    }, 10);
  });
}

describe('CameraCapture', () => {
  it('reads every frame of the walk-by video as fast as frames are taken', async () => {
    const frames: Omit<CapturedFrame, 'data'>[] = [];
    const states: CaptureState['kind'][] = [];
    let badSize = 0;
    const capture = new CameraCapture(
      { source: { kind: 'file', path: WALKBY_MP4, loop: false }, realtime: false },
      {
        onFrame: ({ data, ...meta }, release) => {
          if (data.byteLength !== meta.rows * meta.cols * 3) {
            badSize += 1;
          }
          frames.push(meta);
          release();
        },
        onState: (s) => states.push(s.kind),
      },
    );
    capture.start();
    await until(() => capture.state.kind === 'stopped', 20_000);
    expect(states).toEqual(['connecting', 'connecting', 'connected', 'stopped']);
    expect(frames.length).toBeGreaterThanOrEqual(420);
    expect(frames.length).toBeLessThanOrEqual(430);
    expect(badSize).toBe(0);
    expect(frames.every((f) => f.rows === 480 && f.cols === 640)).toBe(true);
    expect(frames.map((f) => f.frameNumber)).toEqual(frames.map((_, i) => i + 1));
    expect(frames[25]!.mediaTimeMs).toBe(1000); // 25 fps
    expect(capture.stats()).toMatchObject({ framesRead: frames.length, framesSkipped: 0, processRestarts: 0 });
    await capture.stop();
  });

  it('plays a file in real time and skips, never queues, what a stuck consumer does not take', async () => {
    let delivered = 0;
    const capture = new CameraCapture(
      { source: { kind: 'file', path: WALKBY_MP4, loop: false }, realtime: true, maxInFlight: 3 },
      { onFrame: () => (delivered += 1) }, // never releases
    );
    capture.start();
    await until(() => capture.state.kind === 'connected', 10_000);
    await new Promise((r) => setTimeout(r, 1200));
    const { framesSkipped } = capture.stats();
    const stopStarted = Date.now();
    await capture.stop();
    expect(Date.now() - stopStarted).toBeLessThan(1000);
    expect(delivered).toBe(3);
    // ~1.2 s at 25 fps: about 30 frames read, the rest skipped.
    expect(delivered + framesSkipped).toBeGreaterThan(20);
    expect(delivered + framesSkipped).toBeLessThan(40);
    expect(capture.state).toEqual({ kind: 'stopped', reason: 'requested' });
    const after = delivered;
    await new Promise((r) => setTimeout(r, 200));
    expect(delivered).toBe(after);
  });

  it('loops a file when asked, numbering frames on', async () => {
    const times: number[] = [];
    const capture = new CameraCapture(
      { source: { kind: 'file', path: WALKBY_MP4, loop: true }, realtime: false },
      {
        onFrame: (f, release) => {
          times.push(f.mediaTimeMs ?? -1);
          release();
        },
      },
    );
    capture.start();
    await until(() => times.length >= 500, 20_000);
    await capture.stop();
    expect(capture.state.kind).toBe('stopped');
    const restart = times.indexOf(0, 1);
    expect(restart).toBeGreaterThanOrEqual(420);
    expect(times[restart - 1]).toBeGreaterThan(16_000);
  });

  it('reports a missing file as reconnecting, with growing back-off, and stops at once', async () => {
    const retries: { attempt: number; retryInMs: number; error: string }[] = [];
    const capture = new CameraCapture(
      {
        source: { kind: 'file', path: '/no/such/camera.mp4', loop: false },
        backoff: { initialMs: 100, maxMs: 2000, factor: 2, jitter: 0 },
      },
      {
        onFrame: () => {
          throw new Error('no frame expected');
        },
        onState: (s) => {
          if (s.kind === 'reconnecting') {
            retries.push({ attempt: s.attempt, retryInMs: s.retryInMs, error: s.error });
          }
        },
      },
    );
    capture.start();
    await until(() => retries.length >= 3, 10_000);
    expect(capture.state.kind).toBe('reconnecting');
    expect(retries.slice(0, 3).map((r) => [r.attempt, r.retryInMs])).toEqual([
      [1, 100],
      [2, 200],
      [3, 400],
    ]);
    expect(retries[0]!.error).toMatch(/open/i);
    // stop() wakes the worker out of its back-off sleep.
    const stopStarted = Date.now();
    await capture.stop();
    expect(Date.now() - stopStarted).toBeLessThan(500);
    expect(capture.state).toEqual({ kind: 'stopped', reason: 'requested' });
  });

  it('reports an unreachable stream as reconnecting', async () => {
    let state: CaptureState | undefined;
    const capture = new CameraCapture(
      // Port 9 on loopback: nothing listens, the connection is refused at once.
      { source: { kind: 'rtsp', url: 'rtsp://127.0.0.1:9/stream' }, backoff: { initialMs: 5000, maxMs: 5000, factor: 2, jitter: 0 } },
      { onFrame: () => undefined, onState: (s) => (state = s) },
    );
    capture.start();
    await until(() => state?.kind === 'reconnecting', 15_000);
    expect(state).toMatchObject({ kind: 'reconnecting', attempt: 1, retryInMs: 5000 });
    await capture.stop();
  });
});

describe('CameraCapture process crashes', () => {
  it('restarts a capture process that dies, and frame numbers go on', async () => {
    const numbers: number[] = [];
    const states: string[] = [];
    const capture = new CameraCapture(
      { source: { kind: 'file', path: WALKBY_MP4, loop: true }, realtime: true, backoff: { initialMs: 100, maxMs: 1000, factor: 2, jitter: 0 } },
      {
        onFrame: (f, release) => {
          numbers.push(f.frameNumber);
          release();
        },
        onState: (s) => states.push(s.kind === 'reconnecting' ? `reconnecting:${s.error}` : s.kind),
      },
    );
    capture.start();
    await until(() => numbers.length >= 5, 10_000);
    const firstPid = capture.pid!;
    process.kill(firstPid, 'SIGKILL'); // what a segfault in FFmpeg or a driver looks like from here
    await until(() => capture.pid !== undefined && capture.pid !== firstPid && capture.state.kind === 'connected', 10_000);
    const before = numbers.length;
    await until(() => numbers.length >= before + 5, 10_000);
    await capture.stop();
    expect(states).toContain('reconnecting:capture process exited (SIGKILL)');
    expect(capture.stats().processRestarts).toBe(1);
    // Strictly increasing across the restart.
    expect(numbers.every((n, i) => i === 0 || n > numbers[i - 1]!)).toBe(true);
  });
});
