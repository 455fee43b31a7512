import { describe, expect, it } from 'vitest';
import type { CameraInfo } from '../../src/cameras/camera-info.js';
import type { RecognizedEvent } from '../../src/cameras/events.js';
import { CameraManager, InvalidCameraSourceError } from '../../src/cameras/camera-manager.js';
import { envCamera } from '../../src/cameras/env-camera.js';
import { cameraId } from '../../src/domain/ids.js';
import { FakeWalkbyEngine, NAME_OF, fakeRecognize } from './fake-walkby-engine.js';
import { WALKBY_MP4 } from './walkby.js';

const defaults = { width: 640, height: 480, fps: 25, predictInterval: 1 };

async function until(check: () => boolean, timeoutMs: number): Promise<void> {
  const started = Date.now();
  while (!check()) {
    if (Date.now() - started > timeoutMs) {
      throw new Error(`timed out after ${timeoutMs} ms`);
    }
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe('CameraManager', () => {
  it('keeps a good camera running while another cannot open, and stops, restarts and removes at run time', async () => {
    const recognized: RecognizedEvent[] = [];
    const states: CameraInfo['state'][] = [];
    const manager = new CameraManager({
      engine: new FakeWalkbyEngine(),
      recognize: fakeRecognize,
      defaults,
      onRecognized: (e) => recognized.push(e),
      onStateChange: (info) => {
        if (info.cameraId === cameraId(2)) {
          states.push(info.state);
        }
      },
      runner: { backoff: { initialMs: 50, maxMs: 400, factor: 2, jitter: 0 } },
    });
    const good = cameraId(1);
    const broken = cameraId(2);
    await manager.start({ id: good, name: 'door', source: WALKBY_MP4, realtime: false });
    await manager.start({ id: broken, name: 'yard', source: '/no/such/camera.mp4' });
    await until(() => manager.info(good)?.stoppedReason === 'ended', 30_000);
    await manager.idle(good);

    expect(recognized.filter((r) => r.cameraId === good).map((r) => NAME_OF.get(r.employeeId))).toHaveLength(7);
    const brokenInfo = manager.info(broken)!;
    expect(brokenInfo).toMatchObject({ name: 'yard', state: 'reconnecting', framesCaptured: 0 });
    expect(brokenInfo.error).toMatch(/open/i);
    expect(brokenInfo.reconnectAttempt).toBeGreaterThanOrEqual(2);
    expect(brokenInfo.nextRetryAt).not.toBeNull();
    expect(manager.infoAll().map((i) => i.cameraId).sort()).toEqual([1, 2]);

    await manager.stop(broken);
    expect(manager.info(broken)).toMatchObject({ state: 'stopped', stoppedReason: 'requested' });
    expect(manager.isRunning(broken)).toBe(false);
    expect(states).toContain('reconnecting');
    expect(states.at(-1)).toBe('stopped');

    // Restart with a source that works: the same id, a fresh runner.
    await manager.restart({ id: broken, name: 'yard', source: WALKBY_MP4, realtime: true });
    await until(() => manager.info(broken)?.state === 'connected' && manager.info(broken)!.framesProcessed > 5, 15_000);
    expect(manager.info(broken)).toMatchObject({ error: null, width: 640, height: 480 });

    expect(await manager.remove(broken)).toBe(true);
    expect(manager.info(broken)).toBeUndefined();
    expect(await manager.stop(cameraId(99))).toBe(false);
    await manager.stopAll();
    expect(manager.info(good)!.state).toBe('stopped');
  });

  it('rejects a source it cannot parse before starting anything', async () => {
    const manager = new CameraManager({ engine: new FakeWalkbyEngine(), recognize: fakeRecognize, defaults });
    await expect(manager.start({ id: cameraId(1), source: 'ftp://nowhere/x' })).rejects.toBeInstanceOf(InvalidCameraSourceError);
    expect(manager.infoAll()).toEqual([]);
  });
});

describe('envCamera', () => {
  const base = { CAMERA_LOOP: false, CAMERA_WIDTH: 1280, CAMERA_HEIGHT: 720, CAMERA_FPS: 15, PREDICT_INTERVAL: 2 };

  it('builds the camera given by CAMERA_SOURCE', () => {
    expect(envCamera({ ...base, CAMERA_SOURCE: undefined })).toEqual({ kind: 'none' });
    expect(envCamera({ ...base, CAMERA_SOURCE: '/videos/door.mp4', CAMERA_LOOP: true })).toEqual({
      kind: 'camera',
      camera: {
        name: 'default',
        source: { kind: 'file', path: '/videos/door.mp4', loop: true },
        sourceText: '/videos/door.mp4',
        width: 1280,
        height: 720,
        fps: 15,
        predictInterval: 2,
      },
    });
    expect(envCamera({ ...base, CAMERA_SOURCE: '0' })).toMatchObject({ kind: 'camera', camera: { source: { kind: 'device', index: 0 } } });
    expect(envCamera({ ...base, CAMERA_SOURCE: 'gopher://x' })).toMatchObject({ kind: 'invalid', error: expect.stringMatching(/^CAMERA_SOURCE: /) as unknown });
  });
});
