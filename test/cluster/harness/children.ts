// Child processes of the multi-instance tests (servers, queue workers): each
// started with tsx and its own environment, ready when it prints a JSON line
// with `ready`, its output kept in a log file (printed when a start fails).
// Every child is tracked and killed by killAll(), so a failing test leaves
// nothing running. tsx runs the entry in a node child of its own, so each
// child gets its own process group and signals go to the whole group: a
// SIGKILL or SIGSTOP reaches the process that really serves.
import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';

const ROOT = path.resolve(import.meta.dirname, '../../..');
const TSX = path.join(ROOT, 'node_modules/.bin/tsx');

export interface Child {
  readonly name: string;
  readonly pid: number;
  /** The `ready` value the child printed (a server's URL, a worker's id). */
  readonly ready: string;
  readonly info: Record<string, unknown>;
  readonly logFile: string;
  /** Resolves with the exit code (or signal) once the process has ended. */
  readonly exited: Promise<number | string>;
  kill(signal: NodeJS.Signals): void;
  /** SIGTERM, then SIGKILL after `graceMs`. */
  stop(graceMs?: number): Promise<void>;
}

const children = new Set<ChildProcess>();
let logDir: string | undefined;

export async function startChild(options: {
  name: string;
  entry: string;
  env: Record<string, string>;
  readyTimeoutMs?: number;
}): Promise<Child> {
  logDir ??= await mkdtemp(path.join(tmpdir(), 'fa-cluster-logs-'));
  const logFile = path.join(logDir, `${options.name}-${Date.now()}.log`);
  const log = createWriteStream(logFile);
  const proc = spawn(TSX, [path.join(ROOT, options.entry)], {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...options.env },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  children.add(proc);
  const exited = new Promise<number | string>((resolve) => {
    proc.once('exit', (code, signal) => {
      children.delete(proc);
      resolve(code ?? signal ?? 'unknown');
    });
  });
  proc.stderr.pipe(log, { end: false });
  const ready = new Promise<Record<string, unknown>>((resolve, reject) => {
    const lines = createInterface({ input: proc.stdout });
    lines.on('line', (line) => {
      log.write(`${line}\n`);
      if (line.startsWith('{"ready"')) {
        resolve(JSON.parse(line) as Record<string, unknown>);
      }
    });
    void exited.then((code) => reject(new Error(`${options.name} exited (${code}) before it was ready`)));
  });
  const timeoutMs = options.readyTimeoutMs ?? 120_000;
  let timer: NodeJS.Timeout | undefined;
  try {
    const info = await Promise.race([
      ready,
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`${options.name} not ready after ${timeoutMs} ms`)), timeoutMs);
      }),
    ]);
    const child: Child = {
      name: options.name,
      pid: proc.pid!,
      ready: String(info.ready),
      info,
      logFile,
      exited,
      kill: (signal) => signalGroup(proc, signal),
      async stop(graceMs = 15_000) {
        if (proc.exitCode !== null || proc.signalCode !== null) {
          return;
        }
        signalGroup(proc, 'SIGTERM');
        const killer = setTimeout(() => signalGroup(proc, 'SIGKILL'), graceMs);
        await exited;
        clearTimeout(killer);
      },
    };
    return child;
  } catch (error) {
    signalGroup(proc, 'SIGKILL');
    await exited;
    const output = await readFile(logFile, 'utf8').catch(() => '');
    throw new Error(`${(error as Error).message}\n--- ${options.name} output (last 4000 chars) ---\n${output.slice(-4000)}`);
  } finally {
    clearTimeout(timer);
  }
}

function signalGroup(proc: ChildProcess, signal: NodeJS.Signals): void {
  try {
    process.kill(-proc.pid!, signal);
  } catch {
    // already gone
  }
}

/** Kills every child still running (SIGKILL) and waits for them. */
export async function killAll(): Promise<void> {
  const waits = [...children].map(
    (proc) =>
      new Promise<void>((resolve) => {
        proc.once('exit', () => resolve());
        signalGroup(proc, 'SIGKILL');
      }),
  );
  await Promise.all(waits);
}
