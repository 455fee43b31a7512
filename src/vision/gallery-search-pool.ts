// The process-wide gallery search worker (one thread: searches are short and ONNX Runtime
// already uses two intra-op threads inside it). Created on first use; its idle worker does not
// keep the process alive, so nobody has to close it.
import { WorkerPool } from '../engine/pool/worker-pool.js';
import type { GallerySearchResult, GallerySearchTask } from './gallery-search-protocol.js';

export type GallerySearchPool = Pick<WorkerPool<GallerySearchTask, GallerySearchResult>, 'run'>;

let shared: WorkerPool<GallerySearchTask, GallerySearchResult> | undefined;

export function sharedGallerySearchPool(): GallerySearchPool {
  shared ??= new WorkerPool<GallerySearchTask, GallerySearchResult>({
    workerFile: new URL(`./gallery-search-worker-entry${import.meta.url.endsWith('.ts') ? '.ts' : '.js'}`, import.meta.url),
    size: 1,
    // Every face of every camera frame may be waiting here at once.
    queueLimit: 1024,
    taskTimeoutMs: 10_000,
    name: 'gallery-search',
    unref: true,
  });
  return shared;
}
