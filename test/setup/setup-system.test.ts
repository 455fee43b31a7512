// scripts/setup-system.sh decides from what it finds: it runs against a PATH of
// stand-in commands (dpkg-query, apt-get, sudo, id) that record every call, so
// each case (all present, not root without sudo, sudo, root, --ci, --check) is
// checked without touching the machine's packages.
import { execFile } from 'node:child_process';
import { chmod, mkdtemp, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';

const run = promisify(execFile);
const SCRIPT = path.resolve('scripts/setup-system.sh');
const BUILD = ['libopencv-dev', 'ffmpeg', 'g++', 'make', 'python3', 'pkg-config'];
/** Commands whose presence stands for a package (command -v). */
const COMMANDS = ['ffmpeg', 'g++', 'make', 'python3', 'pkg-config', 'mysql', 'mysqladmin', 'redis-server', 'redis-cli', 'mariadbd'];

interface Machine {
  /** Packages dpkg-query reports as installed. */
  packages: string[];
  /** Commands on PATH. */
  commands: string[];
  uid: number;
  sudo: 'none' | 'works' | 'fails';
}

interface Outcome {
  code: number;
  stdout: string;
  stderr: string;
  /** Every sudo / apt-get call, one a line. */
  calls: string[];
}

const dirs: string[] = [];
afterEach(async () => {
  await Promise.all(dirs.splice(0).map((d) => rm(d, { recursive: true, force: true })));
});

async function stub(dir: string, name: string, body: string): Promise<void> {
  await writeFile(path.join(dir, name), `#!/bin/sh\n${body}\n`);
  await chmod(path.join(dir, name), 0o755);
}

async function runOn(machine: Machine, args: string[] = []): Promise<Outcome> {
  const dir = await mkdtemp(path.join(tmpdir(), 'setup-system-'));
  dirs.push(dir);
  const bin = path.join(dir, 'bin');
  const state = path.join(dir, 'installed');
  const log = path.join(dir, 'calls');
  await run('mkdir', [bin]);
  await writeFile(state, machine.packages.map((p) => `${p}\n`).join(''));
  await writeFile(log, '');
  // The real tools the script itself uses.
  for (const tool of ['readlink', 'dirname', 'grep', 'env', 'awk', 'sed']) {
    const { stdout } = await run('sh', ['-c', `command -v ${tool}`]);
    await symlink(stdout.trim(), path.join(bin, tool));
  }
  await symlink(process.execPath, path.join(bin, 'node'));
  for (const command of machine.commands) {
    await stub(bin, command, 'exit 0');
  }
  await stub(
    bin,
    'dpkg-query',
    `[ "$1" = -W ] || exit 1
for p in "$@"; do last="$p"; done
grep -qx -- "$last" "${state}" && printf 'install ok installed' || exit 1`,
  );
  await stub(bin, 'id', `case "$1" in -u) echo ${machine.uid} ;; -un) echo ${machine.uid === 0 ? 'root' : 'dev'} ;; esac`);
  await stub(
    bin,
    'apt-get',
    `echo "apt-get $*" >> "${log}"
if [ "$1" = install ]; then for p in "$@"; do case "$p" in -*|install) ;; *) echo "$p" >> "${state}" ;; esac; done; fi`,
  );
  if (machine.sudo !== 'none') {
    await stub(
      bin,
      'sudo',
      machine.sudo === 'works'
        ? `echo "sudo $*" >> "${log}"\nexec "$@"`
        : `echo "sudo $*" >> "${log}"\necho 'sudo: a terminal is required to read the password' >&2\nexit 1`,
    );
  }
  const env = { PATH: bin, HOME: dir };
  const outcome = await run('/bin/bash', [SCRIPT, ...args], { env }).then(
    (r) => ({ code: 0, stdout: r.stdout, stderr: r.stderr }),
    (e: { code: number; stdout: string; stderr: string }) => ({ code: e.code, stdout: e.stdout, stderr: e.stderr }),
  );
  const calls = (await readFile(log, 'utf8')).split('\n').filter(Boolean);
  return { ...outcome, calls };
}

const everything: Machine = { packages: ['libopencv-dev', 'chromium'], commands: COMMANDS, uid: 1000, sudo: 'none' };

describe('scripts/setup-system.sh', () => {
  it('does nothing and needs no rights when every package is there', async () => {
    const r = await runOn(everything, ['--ci']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(`present: ${BUILD.join(' ')} chromium mariadb-server mariadb-client redis-server`);
    expect(r.calls).toEqual([]);
  });

  it('without root or sudo: stops at once and prints the exact command to run as root', async () => {
    const r = await runOn({ ...everything, packages: [], commands: COMMANDS.filter((c) => c !== 'ffmpeg') });
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('missing: libopencv-dev ffmpeg');
    expect(r.stderr).toContain('apt-get update && apt-get install -y --no-install-recommends libopencv-dev ffmpeg');
    expect(r.calls).toEqual([]);
  });

  it('through sudo when the user is not root, printing what it runs', async () => {
    const r = await runOn({ ...everything, packages: [], sudo: 'works' });
    expect(r.code).toBe(0);
    expect(r.calls).toEqual([
      'sudo env DEBIAN_FRONTEND=noninteractive apt-get update -qq',
      'apt-get update -qq',
      'sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends libopencv-dev',
      'apt-get install -y -qq --no-install-recommends libopencv-dev',
    ]);
    expect(r.stdout).toContain('running: sudo apt-get install -y -qq --no-install-recommends libopencv-dev');
    expect(r.stdout).toContain('installed: libopencv-dev');
  });

  it('when sudo cannot run (no terminal for the password): the command to run, exit 1', async () => {
    const r = await runOn({ ...everything, packages: [], sudo: 'fails' });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('apt-get update && apt-get install -y --no-install-recommends libopencv-dev');
  });

  it('as root: apt-get directly', async () => {
    const r = await runOn({ ...everything, uid: 0, commands: COMMANDS.filter((c) => c !== 'pkg-config'), sudo: 'works' });
    expect(r.code).toBe(0);
    expect(r.calls).toEqual(['apt-get update -qq', 'apt-get install -y -qq --no-install-recommends pkg-config']);
  });

  it('asks for the test services only with --ci', async () => {
    const bare: Machine = { ...everything, uid: 0, packages: ['libopencv-dev'], commands: COMMANDS.filter((c) => !/^(mysql|redis|mariadbd)/.test(c)) };
    const plain = await runOn(bare);
    expect(plain.calls).toEqual([]);
    const ci = await runOn(bare, ['--ci']);
    expect(ci.calls.at(-1)).toBe('apt-get install -y -qq --no-install-recommends chromium mariadb-server mariadb-client redis-server');
  });

  it('--check only reports', async () => {
    const r = await runOn({ ...everything, uid: 0, packages: [] }, ['--check']);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('missing: libopencv-dev');
    expect(r.calls).toEqual([]);
  });
});
