// Gallery top-1 search: JS loop on the calling thread vs the search worker, for
// 1k / 10k / 100k random unit templates of 512 floats. Prints a table and
// writes bench/results/gallery.json.  Run: npm run bench:gallery
import { mkdirSync, writeFileSync } from 'node:fs';
import { availableParallelism, cpus, loadavg } from 'node:os';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { Gallery } from '../src/vision/gallery.js';
import { randomRows, randomUnit, rng } from '../test/vision/gallery-fixtures.js';

const DIM = 512;
// `--sizes 100000 --paths worker` runs a part (e.g. on a busy machine, the figure that matters).
const argOf = (name: string): string | undefined => process.argv[process.argv.indexOf(`--${name}`) + 1];
const SIZES = (process.argv.includes('--sizes') ? (argOf('sizes') ?? '') : '1000,10000,100000').split(',').map(Number);
const PATHS = (process.argv.includes('--paths') ? (argOf('paths') ?? '') : 'js,worker').split(',') as ('js' | 'worker')[];
const BATCH = 4;

interface Row {
  templates: number;
  path: 'js' | 'worker';
  query: 'top1' | `top1 x${number} batch` | 'bestPerEmployee k=2';
  runs: number;
  p50Ms: number;
  p95Ms: number;
  /** Longest event-loop stall seen while the searches ran. */
  maxEventLoopBlockMs: number;
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))]!;
}

async function measure(runs: number, fn: () => Promise<unknown>): Promise<Pick<Row, 'p50Ms' | 'p95Ms' | 'maxEventLoopBlockMs'>> {
  await fn(); // warm-up (ORT session creation, JIT)
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

const rand = rng(7);
const results: Row[] = [];
for (const n of SIZES) {
  const rows = randomRows(rand, n, Math.max(1, Math.round(n / 20)), DIM);
  const queries = Array.from({ length: 16 }, () => randomUnit(rand, DIM));
  let qi = 0;
  const next = (): Float32Array => queries[qi++ % queries.length]!;
  for (const path of PATHS) {
    const gallery = Gallery.fromRows(rows, { scorer: path });
    const runs = n >= 100_000 ? (path === 'js' ? 10 : 40) : n >= 10_000 ? 60 : 200;
    results.push({ templates: n, path, query: 'top1', runs, ...(await measure(runs, () => gallery.top1(next()))) });
    results.push({
      templates: n,
      path,
      query: 'bestPerEmployee k=2',
      runs,
      ...(await measure(runs, () => gallery.bestPerEmployee(next(), 2))),
    });
    const batch = queries.slice(0, BATCH);
    results.push({
      templates: n,
      path,
      query: `top1 x${BATCH} batch`,
      runs: Math.ceil(runs / 2),
      ...(await measure(Math.ceil(runs / 2), () => gallery.topKBatch(batch, 1))),
    });
  }
}

console.table(results);
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
      note: 'worker = gallery search worker on the shared blocks (int8 MatMulInteger, 2 intra-op threads, then exact re-scoring); js = plain loop on the calling thread; random unit vectors',
      results,
    },
    null,
    2,
  )}\n`,
);
