// Gallery top-1 search: JS loop on the calling thread vs the search lanes (two worker threads,
// int8 SIMD pass + exact re-scoring), for 1k / 10k / 100k templates of 512 floats, on random unit
// vectors and on face-like clustered ones (every score in a narrow band: the hard case for a coarse
// pass). Prints latency, the longest event-loop stall, and for the lanes the recall of the exact
// top-1 (their answer vs the exact JS scan, over fresh probes) and the rows re-scored per query.
// Writes bench/results/gallery.json.
//   npm run bench:gallery [-- --sizes 100000 --paths worker --data random,faces]
import { mkdirSync, writeFileSync } from 'node:fs';
import { availableParallelism, cpus, loadavg } from 'node:os';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { Gallery, type GalleryRow } from '../src/vision/gallery.js';
import { faceLikeProbes, faceLikeRows, near, randomRows, randomUnit, rng } from '../test/vision/gallery-fixtures.js';

const DIM = 512;
const argOf = (name: string): string | undefined => (process.argv.includes(`--${name}`) ? process.argv[process.argv.indexOf(`--${name}`) + 1] : undefined);
const SIZES = (argOf('sizes') ?? '1000,10000,100000').split(',').map(Number);
const PATHS = (argOf('paths') ?? 'js,worker').split(',') as ('js' | 'worker')[];
const DATA = (argOf('data') ?? 'random,faces').split(',') as ('random' | 'faces')[];
const BATCH = 4;
/** Probes whose worker top-1 is checked against the exact JS scan. */
const RECALL_PROBES = 100;

interface Row {
  templates: number;
  data: 'random' | 'faces';
  path: 'js' | 'worker';
  query: 'top1' | `top1 x${number} batch` | 'bestPerEmployee k=2';
  runs: number;
  p50Ms: number;
  p95Ms: number;
  /** Longest event-loop stall seen while the searches ran. */
  maxEventLoopBlockMs: number;
  /** Worker top-1 equal to the exact JS scan's top-1 (row), over RECALL_PROBES probes. */
  recallTop1?: number;
  /** Rows the lanes re-scored exactly per query (summed over lanes). */
  rescoredPerQuery?: number;
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))]!;
}

async function measure(runs: number, fn: () => Promise<unknown>): Promise<Pick<Row, 'p50Ms' | 'p95Ms' | 'maxEventLoopBlockMs'>> {
  await fn(); // warm-up (worker start, JIT)
  const yieldToLoop = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));
  const times: number[] = [];
  const loop = monitorEventLoopDelay({ resolution: 1 });
  loop.enable();
  for (let i = 0; i < runs; i++) {
    // Yield between runs so the event-loop monitor can see each run's stall.
    await yieldToLoop();
    const t = performance.now();
    await fn();
    times.push(performance.now() - t);
  }
  loop.disable();
  times.sort((a, b) => a - b);
  const round = (v: number): number => Math.round(v * 100) / 100;
  return { p50Ms: round(percentile(times, 0.5)), p95Ms: round(percentile(times, 0.95)), maxEventLoopBlockMs: round(loop.max / 1e6) };
}

function dataset(kind: 'random' | 'faces', n: number): { rows: GalleryRow[]; probes: Float32Array[] } {
  const rand = rng(7);
  if (kind === 'random') {
    const rows = randomRows(rand, n, Math.max(1, Math.round(n / 20)), DIM);
    // Half noise, half near a stored template (a person who is enrolled).
    const probes = Array.from({ length: RECALL_PROBES }, (_, i) => (i % 2 ? randomUnit(rand, DIM) : near(rand, rows[Math.floor(rand() * n)]!.embedding, 0.6)));
    return { rows, probes };
  }
  const perEmployee = n >= 100_000 ? 40 : 20;
  const employees = Math.max(1, Math.round(n / perEmployee));
  return { rows: faceLikeRows(employees, perEmployee, 11, DIM), probes: faceLikeProbes(employees, 11, RECALL_PROBES * 0.8, RECALL_PROBES * 0.2, DIM) };
}

const results: Row[] = [];
for (const n of SIZES) {
  for (const data of DATA) {
    const { rows, probes } = dataset(data, n);
    const exact = Gallery.fromRows(rows, { scorer: 'js' });
    let qi = 0;
    const next = (): Float32Array => probes[qi++ % probes.length]!;
    for (const path of PATHS) {
      const gallery = path === 'js' ? exact : Gallery.fromRows(rows, { scorer: path });
      const runs = n >= 100_000 ? (path === 'js' ? 10 : 60) : n >= 10_000 ? 60 : 200;
      const quality: Pick<Row, 'recallTop1' | 'rescoredPerQuery'> = {};
      if (path === 'worker') {
        const before = gallery.searchStats();
        let same = 0;
        for (const p of probes) {
          const [got, want] = [await gallery.top1(p), await exact.top1(p)];
          same += got?.row === want?.row && got?.score === want?.score ? 1 : 0;
        }
        const after = gallery.searchStats();
        quality.recallTop1 = same / probes.length;
        quality.rescoredPerQuery = Math.round((after.rescoredRows - before.rescoredRows) / (after.laneQueries - before.laneQueries));
      }
      results.push({ templates: rows.length, data, path, query: 'top1', runs, ...(await measure(runs, () => gallery.top1(next()))), ...quality });
      results.push({ templates: rows.length, data, path, query: 'bestPerEmployee k=2', runs, ...(await measure(runs, () => gallery.bestPerEmployee(next(), 2))) });
      const batch = probes.slice(0, BATCH);
      const batchRuns = Math.ceil(runs / 2);
      results.push({ templates: rows.length, data, path, query: `top1 x${BATCH} batch`, runs: batchRuns, ...(await measure(batchRuns, () => gallery.topKBatch(batch, 1))) });
    }
  }
}

console.table(results);
console.log(`load average (1 min) ${loadavg()[0]!.toFixed(2)}`);
const out = new URL('./results/', import.meta.url);
mkdirSync(out, { recursive: true });
writeFileSync(
  new URL('gallery.json', out),
  `${JSON.stringify(
    {
      date: new Date().toISOString(),
      node: process.version,
      cpu: cpus()[0]?.model,
      cores: availableParallelism(),
      // Other processes share these cores: a high load average inflates every number.
      loadAverage1m: Math.round(loadavg()[0]! * 100) / 100,
      dim: DIM,
      note: 'worker = two search lanes (worker threads) on the shared blocks, each an int8 SIMD pass over half the rows then exact re-scoring; js = plain loop on the calling thread; random = random unit vectors, faces = face-like clustered templates (40 per person at 100k, 20 below)',
      results,
    },
    null,
    2,
  )}\n`,
);
