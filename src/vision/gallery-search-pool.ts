// The process-wide gallery search lanes: SEARCH_LANES worker threads, each of which scans its share
// of every gallery's rows (gallery-int8-search.ts). One pool per lane, not one pool of several
// workers, because a lane owns scratch space in every block's memory: lane l's tasks must all run
// on lane l's thread, one after the other. Created on first use; idle workers do not keep the
// process alive, so nobody has to close them.
import { WorkerPool } from '../engine/pool/worker-pool.js';
import { SEARCH_LANES } from './gallery-int8-codes.js';
import type { GallerySearchResult, GallerySearchTask } from './gallery-search-protocol.js';

export type GallerySearchPool = Pick<WorkerPool<GallerySearchTask, GallerySearchResult>, 'run'>;

let shared: WorkerPool<GallerySearchTask, GallerySearchResult>[] | undefined;

export function sharedGallerySearchLanes(): readonly GallerySearchPool[] {
  shared ??= Array.from(
    { length: SEARCH_LANES },
    (_, lane) =>
      new WorkerPool<GallerySearchTask, GallerySearchResult>({
        workerFile: new URL(`./gallery-search-worker-entry${import.meta.url.endsWith('.ts') ? '.ts' : '.js'}`, import.meta.url),
        size: 1,
        // Every face of every camera frame may be waiting here at once.
        queueLimit: 1024,
        taskTimeoutMs: 10_000,
        name: `gallery-search-${lane}`,
        unref: true,
      }),
  );
  return shared;
}
