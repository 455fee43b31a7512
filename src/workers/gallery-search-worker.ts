// Gallery search worker: int8 scan + exact re-scoring of the shared template blocks, so a
// 100k-template search never runs on the server's event loop.
import { workerData } from 'node:worker_threads';
import type { GallerySearchResult, GallerySearchTask } from '../vision/gallery-search-protocol.js';
import { QuantizedSearch } from '../vision/gallery-quantized-search.js';
import { serveTasks } from './worker-host.js';

const search = new QuantizedSearch((workerData as { threads?: number } | undefined)?.threads ?? 2);

serveTasks<GallerySearchTask, GallerySearchResult>((task) => search.run(task));
