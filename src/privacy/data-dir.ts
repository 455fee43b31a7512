// DATA_DIR holds biometric data (snapshots, and snapshot bytes in the outbox
// journal): the folders are made owner-only (0700) at start, also when an older
// version created them 0755. Files inside are written 0600.
import { chmod, mkdir, readdir } from 'node:fs/promises';
import { join } from 'node:path';

export const PRIVATE_DIR_MODE = 0o700;

export async function secureDataDir(dataDir: string): Promise<void> {
  for (const dir of [dataDir, join(dataDir, 'snapshots'), join(dataDir, 'outbox')]) {
    await mkdir(dir, { recursive: true, mode: PRIVATE_DIR_MODE });
    await chmod(dir, PRIVATE_DIR_MODE);
  }
  // Day folders of snapshots (snapshots/<YYYY-MM-DD>).
  for (const entry of await readdir(join(dataDir, 'snapshots'), { withFileTypes: true })) {
    if (entry.isDirectory()) {
      await chmod(join(dataDir, 'snapshots', entry.name), PRIVATE_DIR_MODE);
    }
  }
}
