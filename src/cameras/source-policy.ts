// Which camera sources the API may create (the environment's CAMERA_SOURCE is
// trusted and not checked): devices; rtsp/rtsps/http/https streams (source.ts
// refuses other schemes); and video files only inside CAMERA_MEDIA_DIRS, so a
// camera cannot be pointed at /etc/shadow or ../.env. The refusal text is the
// same whether or not the file exists, so it tells nothing about the disk.
import { realpath } from 'node:fs/promises';
import { isAbsolute, relative, resolve } from 'node:path';
import type { CameraSource } from './source.js';

export async function checkSourcePolicy(source: CameraSource, mediaDirs: readonly string[] | undefined): Promise<string | null> {
  if (source.kind !== 'file') {
    return null;
  }
  const refusal =
    mediaDirs === undefined || mediaDirs.length === 0
      ? 'video file sources are disabled (set CAMERA_MEDIA_DIRS to the folders cameras may read)'
      : 'video file sources must be inside CAMERA_MEDIA_DIRS';
  if (mediaDirs === undefined || mediaDirs.length === 0) {
    return refusal;
  }
  const lexical = resolve(source.path);
  // A symlink inside a media folder must not lead out of it: compare real paths when they exist.
  const real = await realpath(lexical).catch(() => null);
  for (const dir of mediaDirs) {
    const root = resolve(dir);
    const realRoot = await realpath(root).catch(() => root);
    if (inside(root, lexical) && (real === null || inside(realRoot, real))) {
      return null;
    }
  }
  return refusal;
}

function inside(root: string, path: string): boolean {
  const rel = relative(root, path);
  return rel !== '' && !rel.startsWith('..') && !isAbsolute(rel);
}
