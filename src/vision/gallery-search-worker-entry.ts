// Gallery search worker entry (the thread of gallery-search-pool.ts): int8 scan + exact
// re-scoring of the shared template blocks, so a 100k-template search never runs on the
// server's event loop.
import { workerData } from 'node:worker_threads';
import { serveTasks } from '../engine/pool/serve-tasks.js';
import type { GallerySearchResult, GallerySearchTask } from './gallery-search-protocol.js';
import { QuantizedSearch } from './gallery-quantized-search.js';

const search = new QuantizedSearch((workerData as { threads?: number } | undefined)?.threads ?? 2);

serveTasks<GallerySearchTask, GallerySearchResult>((task) => search.run(task));
