// Face crops of queued events wait on disk, one file each, so a long outage
// costs the outbox a few bytes of memory per event rather than the JPEG.
// Written and fsync'd before the event's journal line; deleted after its ack.
import { createHash } from 'node:crypto';
import { mkdir, open, readdir, readFile, unlink } from 'node:fs/promises';
import { join } from 'node:path';

export const SNAPSHOT_DIR = 'snapshots';

export interface OutboxSnapshots {
  put(eventId: string, jpeg: Uint8Array): Promise<void>;
  /** undefined when the file is gone. */
  get(eventId: string): Promise<Uint8Array | undefined>;
  remove(eventId: string): Promise<void>;
  /** Deletes files of events no longer queued (left by a crash between ack and delete). */
  prune(keep: ReadonlySet<string>): Promise<void>;
}

/** Event ids may hold any characters; file names are their sha256. */
const fileOf = (eventId: string): string => `${createHash('sha256').update(eventId).digest('hex')}.jpg`;

export function createOutboxSnapshots(outboxDir: string): OutboxSnapshots {
  const dir = join(outboxDir, SNAPSHOT_DIR);
  return {
    async put(eventId, jpeg) {
      // Face crops: owner-only folder and files, like the snapshots proper.
      await mkdir(dir, { recursive: true, mode: 0o700 });
      const f = await open(join(dir, fileOf(eventId)), 'w', 0o600);
      try {
        await f.write(jpeg);
        await f.datasync();
      } finally {
        await f.close();
      }
    },
    async get(eventId) {
      try {
        return new Uint8Array(await readFile(join(dir, fileOf(eventId))));
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
          return undefined;
        }
        throw error;
      }
    },
    async remove(eventId) {
      await unlink(join(dir, fileOf(eventId))).catch(() => undefined);
    },
    async prune(keep) {
      const wanted = new Set([...keep].map(fileOf));
      let names: string[] = [];
      try {
        names = await readdir(dir);
      } catch {
        return;
      }
      await Promise.all(names.filter((n) => !wanted.has(n)).map((n) => unlink(join(dir, n)).catch(() => undefined)));
    },
  };
}
