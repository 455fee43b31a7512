// vitest globalSetup: the browser tests and the static-file tests need the web
// app's build (web/dist). Build it once before any test file runs when it is
// missing or older than its sources, so `npm test` works on a fresh clone and
// after an edit to web/. A no-op (a few stat calls) when the build is current.
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const WEB = join(ROOT, 'web');
const BUILT = join(WEB, 'dist', 'index.html');

function newestSource(path: string): number {
  const stat = statSync(path);
  if (!stat.isDirectory()) {
    return stat.mtimeMs;
  }
  return Math.max(0, ...readdirSync(path).map((name) => newestSource(join(path, name))));
}

export function webBuildIsCurrent(): boolean {
  if (!existsSync(BUILT)) {
    return false;
  }
  const sources = ['src', 'public', 'index.html', 'vite.config.ts'].map((p) => join(WEB, p)).filter((p) => existsSync(p));
  return Math.max(...sources.map(newestSource)) <= statSync(BUILT).mtimeMs;
}

export default function setup(): void {
  if (webBuildIsCurrent()) {
    return;
  }
  process.stdout.write('building the web app (web/dist) for the tests...\n');
  execFileSync(process.execPath, [join(ROOT, 'node_modules', 'vite', 'bin', 'vite.js'), 'build', '--config', join(WEB, 'vite.config.ts'), '--logLevel', 'warn'], {
    cwd: ROOT,
    stdio: 'inherit',
    timeout: 180_000,
  });
}
