// Face-crop snapshots kept next to attendance logs for SNAPSHOT_RETENTION_DAYS.
// Paths stored in the database are relative to DATA_DIR so the data folder can move.
// They are biometric data: files 0600 in folders 0700 (owner only).
import { mkdir, open, rename, unlink } from 'node:fs/promises';
import { dirname, join, resolve, sep } from 'node:path';

export const SNAPSHOT_FILE_MODE = 0o600;
export const SNAPSHOT_DIR_MODE = 0o700;

/** snapshots/<localDate>/<eventId>.jpg; the eventId is hex or a uuid, safe as a file name. */
export function snapshotRelativePath(localDate: string, eventId: string): string {
  const safeId = eventId.replace(/[^A-Za-z0-9_-]/g, '_');
  return join('snapshots', localDate, `${safeId}.jpg`);
}

/** Resolves a stored path and refuses one that escapes DATA_DIR. */
export function snapshotAbsolutePath(dataDir: string, relativePath: string): string {
  const root = resolve(dataDir);
  const full = resolve(root, relativePath);
  if (!full.startsWith(root + sep)) {
    throw new Error(`snapshot path escapes DATA_DIR: ${relativePath}`);
  }
  return full;
}

/** Writes atomically (tmp + rename) so a reader never sees half a JPEG. */
export async function writeSnapshot(dataDir: string, relativePath: string, jpeg: Uint8Array): Promise<void> {
  const full = snapshotAbsolutePath(dataDir, relativePath);
  await mkdir(dirname(full), { recursive: true, mode: SNAPSHOT_DIR_MODE });
  const tmp = `${full}.tmp`;
  const f = await open(tmp, 'w', SNAPSHOT_FILE_MODE);
  try {
    await f.write(jpeg);
    await f.sync();
  } finally {
    await f.close();
  }
  await rename(tmp, full);
}

/** Deletes a snapshot and any half-written copy of it; a file already gone is fine. */
export async function deleteSnapshot(dataDir: string, relativePath: string): Promise<void> {
  const full = snapshotAbsolutePath(dataDir, relativePath);
  for (const file of [full, `${full}.tmp`]) {
    try {
      await unlink(file);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') {
        throw error;
      }
    }
  }
}
