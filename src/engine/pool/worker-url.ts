// The URL a Worker is started with, for a worker entry file. Compiled .js
// files start as they are. TypeScript files need tsx inside the worker, and on Node 20 `execArgv: ['--import', 'tsx']`
// does NOT work for a worker's entry module (ERR_UNKNOWN_FILE_EXTENSION: the
// hooks registered by --import in a worker are not applied to its entry). What
// works: a tiny ESM bootstrap that calls tsx's `register()` and then imports the
// real file. It is passed as a data: URL, so it needs absolute URLs only.
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';

const TS_FILE = /\.(?:c|m)?tsx?$/;

let tsxApiUrl: string | undefined;

function resolveTsxApi(): string {
  if (tsxApiUrl === undefined) {
    try {
      tsxApiUrl = import.meta.resolve('tsx/esm/api');
    } catch {
      // Some module runners (vitest's) do not implement import.meta.resolve.
      tsxApiUrl = pathToFileURL(createRequire(import.meta.url).resolve('tsx/esm/api')).href;
    }
  }
  return tsxApiUrl;
}

export function needsTsx(workerFile: URL): boolean {
  return workerFile.protocol === 'file:' && TS_FILE.test(workerFile.pathname);
}

/** The URL to hand to `new Worker(...)` for this worker file. */
export function workerUrl(workerFile: URL): URL {
  if (!needsTsx(workerFile)) {
    return workerFile;
  }
  const source = [
    `const { register } = await import(${JSON.stringify(resolveTsxApi())});`,
    'register();',
    `await import(${JSON.stringify(workerFile.href)});`,
  ].join('\n');
  return new URL(`data:text/javascript,${encodeURIComponent(source)}`);
}
