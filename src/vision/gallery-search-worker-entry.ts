// Gallery search lane entry (a thread of gallery-search-pool.ts): int8 scan + exact re-scoring of
// this lane's share of the shared template blocks, so a 100k-template search never runs on the
// server's event loop. Synchronous: a lane runs one task at a time, which its scratch space needs.
import { serveTasks } from '../engine/pool/serve-tasks.js';
import { searchLane } from './gallery-int8-search.js';
import type { GallerySearchResult, GallerySearchTask } from './gallery-search-protocol.js';

serveTasks<GallerySearchTask, GallerySearchResult>((task) => searchLane(task));
