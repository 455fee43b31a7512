// Starts a worker thread from a TypeScript entry file. The server runs under
// tsx, whose loader does not reach worker threads on Node 20, so a .ts entry
// is loaded through a tiny bootstrap that registers tsx in the worker first.
// A compiled .js entry is started directly.
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import { Worker, type WorkerOptions } from 'node:worker_threads';

export function spawnWorker(entry: URL, options: WorkerOptions = {}): Worker {
  if (!entry.pathname.endsWith('.ts')) {
    return new Worker(entry, options);
  }
  const require = createRequire(import.meta.url);
  const tsxApi = pathToFileURL(require.resolve('tsx/esm/api')).href.replace(/\.cjs$/, '.mjs');
  const bootstrap = [
    `import { register } from ${JSON.stringify(tsxApi)};`,
    'register();',
    `await import(${JSON.stringify(entry.href)});`,
  ].join('\n');
  return new Worker(new URL(`data:text/javascript,${encodeURIComponent(bootstrap)}`), options);
}
