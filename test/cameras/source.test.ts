import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { describeCameraSource, formatCameraSource, parseCameraSource, redactSource } from '../../src/cameras/source.js';

describe('parseCameraSource', () => {
  it('reads a device index and /dev/videoN', () => {
    expect(parseCameraSource('0')).toEqual({ ok: true, source: { kind: 'device', index: 0 } });
    expect(parseCameraSource(' 2 ')).toEqual({ ok: true, source: { kind: 'device', index: 2 } });
    expect(parseCameraSource('/dev/video1')).toEqual({ ok: true, source: { kind: 'device', index: 1 } });
  });

  it('reads RTSP and HTTP(S) URLs as streams', () => {
    expect(parseCameraSource('rtsp://user:pw@10.0.0.5:554/stream1')).toEqual({
      ok: true,
      source: { kind: 'rtsp', url: 'rtsp://user:pw@10.0.0.5:554/stream1' },
    });
    expect(parseCameraSource('https://cam.local/mjpeg')).toEqual({ ok: true, source: { kind: 'http', url: 'https://cam.local/mjpeg' } });
    expect(parseCameraSource('HTTP://cam.local/x').ok).toBe(true);
  });

  it('reads file paths (relative to a base folder) and file:// URLs, with the loop flag', () => {
    expect(parseCameraSource('videos/door.mp4', { baseDir: '/srv/app', loop: true })).toEqual({
      ok: true,
      source: { kind: 'file', path: '/srv/app/videos/door.mp4', loop: true },
    });
    expect(parseCameraSource('/data/a b.mp4')).toEqual({ ok: true, source: { kind: 'file', path: '/data/a b.mp4', loop: false } });
    expect(parseCameraSource('file:///data/a%20b.mp4')).toEqual({ ok: true, source: { kind: 'file', path: '/data/a b.mp4', loop: false } });
    expect(parseCameraSource('clip.mp4')).toEqual({ ok: true, source: { kind: 'file', path: resolve('clip.mp4'), loop: false } });
  });

  it('rejects what cannot be a source, without touching the file system', () => {
    expect(parseCameraSource('').ok).toBe(false);
    expect(parseCameraSource('   ').ok).toBe(false);
    const ftp = parseCameraSource('ftp://host/video.mp4');
    expect(ftp.ok).toBe(false);
    expect(ftp.ok ? '' : ftp.error).toContain('ftp');
    expect(parseCameraSource('rtsp://').ok).toBe(false);
    expect(parseCameraSource('99999999999999999999').ok).toBe(false);
    // A missing file is a run-time state (reconnecting), not a parse error.
    expect(parseCameraSource('/no/such/file.mp4').ok).toBe(true);
  });

  it('hides URL passwords in descriptions but keeps them in the stored text', () => {
    const parsed = parseCameraSource('rtsp://admin:s3cret@cam/ch1');
    if (!parsed.ok) {
      throw new Error(parsed.error);
    }
    expect(formatCameraSource(parsed.source)).toBe('rtsp://admin:s3cret@cam/ch1');
    expect(describeCameraSource(parsed.source)).toBe('rtsp://***:***@cam/ch1');
    expect(redactSource('http://cam/x')).toBe('http://cam/x');
    expect(describeCameraSource({ kind: 'file', path: '/v.mp4', loop: true })).toBe('/v.mp4 (loop)');
  });
});
