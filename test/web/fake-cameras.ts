// Fake cameras for Chromium (--use-file-for-fake-video-capture): .y4m files that
// ffmpeg makes at test time in a temporary folder from the shared photos. Never
// written into the repository.
import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

export interface FakeCameraDir {
  dir: string;
  remove(): Promise<void>;
}

export async function fakeCameraDir(): Promise<FakeCameraDir> {
  const dir = await mkdtemp(join(tmpdir(), 'fa-web-camera-'));
  return { dir, remove: () => rm(dir, { recursive: true, force: true }) };
}

const FRAME = 'scale=640:480:force_original_aspect_ratio=decrease,pad=640:480:(ow-iw)/2:(oh-ih)/2,format=yuv420p';

/** A camera that shows one photo (a person standing at a kiosk). */
export async function stillPhotoCamera(dir: string, photo: string): Promise<string> {
  const out = join(dir, 'still.y4m');
  await run('ffmpeg', ['-y', '-loglevel', 'error', '-loop', '1', '-i', photo, '-t', '2', '-r', '5', '-vf', FRAME, '-pix_fmt', 'yuv420p', out], { timeout: 60_000 });
  return out;
}

/** A camera that plays JPEG frames in order at `fps` (a guided head turn), looping. */
export async function framesCamera(dir: string, frames: readonly Uint8Array[], fps: number): Promise<string> {
  await Promise.all(frames.map((f, i) => writeFile(join(dir, `frame-${String(i).padStart(3, '0')}.jpg`), f)));
  const out = join(dir, 'frames.y4m');
  await run('ffmpeg', ['-y', '-loglevel', 'error', '-framerate', String(fps), '-i', join(dir, 'frame-%03d.jpg'), '-vf', FRAME, '-pix_fmt', 'yuv420p', out], {
    timeout: 60_000,
  });
  return out;
}
