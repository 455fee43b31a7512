// The deployment files of docs/deploy.md, checked without Docker or systemd
// running: the Dockerfile against the hadolint rules that matter here
// (hadolint itself is not installable on the project's machines), the systemd
// units by `systemd-analyze verify` on copies pointed at this checkout, and
// the guide naming every setting.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { configSchema } from '../../src/config.js';

const ROOT = path.resolve(import.meta.dirname, '../..');
const read = (file: string): string => readFileSync(path.join(ROOT, file), 'utf8');

/** Dockerfile instructions with their continuation lines joined, comments left out. */
function instructions(text: string): { op: string; args: string }[] {
  const joined = text.replace(/\\\n\s*/g, ' ');
  return joined
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l !== '' && !l.startsWith('#'))
    .map((l) => {
      const [op = '', ...rest] = l.split(/\s+/);
      return { op: op.toUpperCase(), args: rest.join(' ') };
    });
}

describe('Dockerfile (hadolint-style checks)', () => {
  const steps = instructions(read('Dockerfile'));
  const all = (op: string) => steps.filter((s) => s.op === op);

  it('builds on a pinned Debian image with the project set-up script', () => {
    const from = all('FROM');
    expect(from).toHaveLength(1);
    expect(from[0]!.args).toMatch(/^node:\d+\.\d+-bookworm-slim$/); // DL3006/DL3007: tagged, not latest
    expect(all('RUN').some((r) => r.args.includes('bash scripts/setup-system.sh'))).toBe(true);
    expect(all('RUN').some((r) => r.args.includes('npm ci'))).toBe(true);
    expect(all('RUN').some((r) => /\bnpm install\b/.test(r.args))).toBe(false);
  });

  it('follows the shell, apt and layout rules', () => {
    expect(all('SHELL')[0]?.args).toContain('pipefail'); // DL4006
    for (const run of all('RUN')) {
      if (run.args.includes('apt-get install')) {
        expect(run.args).toContain('--no-install-recommends'); // DL3015
      }
      expect(run.args).not.toMatch(/\bsudo\b/); // DL3004
      expect(run.args).not.toMatch(/(^|&&\s*)cd\s/); // DL3003: WORKDIR instead
    }
    // setup-system.sh runs apt-get: its layer drops the package lists (DL3009).
    expect(all('RUN').find((r) => r.args.includes('setup-system.sh'))?.args).toContain('rm -rf /var/lib/apt/lists/*');
    expect(all('ADD')).toEqual([]); // DL3020
    expect(all('WORKDIR').every((w) => w.args.startsWith('/'))).toBe(true); // DL3000
    expect(all('USER').at(-1)?.args).not.toMatch(/^(root|0)$/); // DL3002
    expect(all('CMD')[0]?.args).toMatch(/^\[.*\]$/); // DL3025: exec form
    expect(all('HEALTHCHECK')[0]?.args).toContain('/api/v1/system/health');
    expect(all('EXPOSE')[0]?.args).toBe('8000');
  });

  it('copies every file it names, and keeps secrets and built files out', () => {
    for (const copy of all('COPY')) {
      const sources = copy.args.split(/\s+/).slice(0, -1).filter((s) => !s.startsWith('--'));
      for (const source of sources.filter((s) => s !== '.')) {
        expect(existsSync(path.join(ROOT, source)), `COPY ${source}`).toBe(true);
      }
    }
    const ignored = read('.dockerignore').split('\n');
    for (const entry of ['node_modules', '.env', 'data', '.git']) {
      expect(ignored).toContain(entry);
    }
  });
});

describe('systemd units', () => {
  const dir = path.join(ROOT, 'docs/systemd');
  const units = readdirSync(dir).filter((f) => f.endsWith('.service'));

  it('start what exists in the project, as an unprivileged user, with a settings file', () => {
    expect(units.sort()).toEqual(['face-attendance-migrate.service', 'face-attendance-worker@.service', 'face-attendance@.service']);
    for (const unit of units) {
      const text = readFileSync(path.join(dir, unit), 'utf8');
      const exec = /^ExecStart=\/opt\/face-attendance\/node_modules\/\.bin\/tsx (\S+)$/m.exec(text);
      expect(exec, unit).not.toBeNull();
      expect(existsSync(path.join(ROOT, exec![1]!)), exec![1]).toBe(true);
      expect(text).toMatch(/^User=face-attendance$/m);
      expect(text).toMatch(/^EnvironmentFile=\/etc\/face-attendance\/env$/m);
    }
  });

  const analyze = ['/usr/bin/systemd-analyze', '/bin/systemd-analyze'].find((p) => existsSync(p));
  it.runIf(analyze !== undefined)('pass systemd-analyze verify (on copies pointed at this checkout)', () => {
    const tmp = mkdtempSync(path.join(tmpdir(), 'fa-units-'));
    try {
      writeFileSync(path.join(tmp, 'env'), '');
      const names: string[] = [];
      for (const unit of units) {
        const text = readFileSync(path.join(dir, unit), 'utf8')
          .replaceAll('/opt/face-attendance/node_modules/.bin/tsx', path.join(ROOT, 'node_modules/.bin/tsx'))
          .replaceAll('/opt/face-attendance', ROOT)
          .replaceAll('/etc/face-attendance/env', path.join(tmp, 'env'))
          .replace(/^(User|Group)=.*$/gm, '$1=root');
        const name = unit.replace('@.service', '@1.service');
        writeFileSync(path.join(tmp, name), text);
        names.push(name);
      }
      // verify prints its findings and exits 0 on most of them: no output is the pass.
      const result = spawnSync(analyze!, ['verify', '--man=no', ...names], { cwd: tmp, encoding: 'utf8', timeout: 60_000 });
      expect(`${result.stdout}${result.stderr}`.trim()).toBe('');
      expect(result.status).toBe(0);
    } finally {
      rmSync(tmp, { recursive: true, force: true });
    }
  });
});

describe('docs/deploy.md', () => {
  it('explains every setting of src/config.ts', () => {
    const guide = read('docs/deploy.md');
    const missing = Object.keys(configSchema.shape).filter((key) => !guide.includes(`\`${key}\``));
    expect(missing).toEqual([]);
  });
});
