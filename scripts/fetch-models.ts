// Fetches the default model pack: `npm pack` the faceplugin package into a temp
// dir, unpack only the model files the manifest names, check their sha256,
// write them to models/faceplugin/, then write the derived (patched) files.
// Idempotent: files already present with the right hash are left alone.
//
//   npm run models:fetch [-- --from <tarball.tgz>] [--pack-dir models/faceplugin] [--update-manifest]
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { readManifest, type ModelFileSpec } from '../src/vision/model-manifest.js';
import { patchModel } from '../src/vision/onnx-patch.js';

const { values: args } = parseArgs({
  options: {
    from: { type: 'string' },
    'pack-dir': { type: 'string', default: 'models/faceplugin' },
    'update-manifest': { type: 'boolean', default: false },
  },
});

const sha256 = (bytes: Uint8Array): string => createHash('sha256').update(bytes).digest('hex');
const log = (msg: string): void => void process.stdout.write(`${msg}\n`);

function hashOf(path: string): string | undefined {
  return existsSync(path) ? sha256(readFileSync(path)) : undefined;
}

/** Write via a temp name + rename so a crash never leaves a half-written model. */
function writeAtomic(path: string, bytes: Uint8Array): void {
  const tmp = `${path}.${process.pid}.tmp`;
  writeFileSync(tmp, bytes);
  renameSync(tmp, path);
}

const packDir = resolve(args['pack-dir']);
const manifestPath = join(packDir, 'manifest.json');
const manifest = readManifest(packDir);
const specs: ModelFileSpec[] = [
  manifest.models.detector,
  manifest.models.landmarks,
  manifest.models.embedder,
  ...(manifest.models.liveness ? [manifest.models.liveness] : []),
];

const missing = specs.filter((s) => hashOf(join(packDir, s.file)) !== s.sha256);
let work: string | undefined;
try {
  if (missing.length === 0) {
    log(`model files present and verified in ${packDir}`);
  } else {
    work = mkdtempSync(join(tmpdir(), 'fetch-models-'));
    let tarball = args.from ? resolve(args.from) : undefined;
    if (!tarball) {
      log(`npm pack ${manifest.source.npm} ...`);
      const name = execFileSync('npm', ['pack', manifest.source.npm, '--pack-destination', work, '--silent'], {
        cwd: work,
        encoding: 'utf8',
        stdio: ['ignore', 'pipe', 'inherit'],
      })
        .trim()
        .split('\n')
        .pop();
      if (!name) {
        throw new Error('npm pack printed no file name');
      }
      tarball = join(work, name);
    }
    const members = missing.map((s) => `${manifest.source.dir}/${s.file}`);
    execFileSync('tar', ['-xzf', tarball, '-C', work, ...members], { stdio: 'inherit' });
    for (const spec of missing) {
      const bytes = readFileSync(join(work, manifest.source.dir, spec.file));
      const got = sha256(bytes);
      if (got !== spec.sha256) {
        throw new Error(`${spec.file}: sha256 ${got} does not match the manifest (${spec.sha256})`);
      }
      writeAtomic(join(packDir, spec.file), bytes);
      log(`wrote ${spec.file} (${(bytes.length / 1e6).toFixed(1)} MB, sha256 ok)`);
    }
  }

  let manifestChanged = false;
  for (const spec of specs) {
    const derived = spec.derived;
    if (!derived) {
      continue;
    }
    const target = join(packDir, derived.file);
    if (derived.sha256 && hashOf(target) === derived.sha256) {
      continue;
    }
    const { bytes, report } = patchModel(readFileSync(join(packDir, spec.file)), {
      zeroDenormals: derived.patches.includes('zero-denormals'),
      symbolicBatch: derived.patches.includes('symbolic-batch'),
      padDepthwise: derived.patches.includes('pad-depthwise'),
      preluDepthwise: derived.patches.includes('prelu-depthwise'),
    });
    const got = sha256(bytes);
    if (derived.sha256 && got !== derived.sha256) {
      if (!args['update-manifest']) {
        throw new Error(
          `${derived.file}: patched sha256 ${got} does not match the manifest (${derived.sha256}); ` +
            'a different protobufjs may encode differently: check and rerun with --update-manifest',
        );
      }
    }
    if (derived.sha256 !== got) {
      derived.sha256 = got;
      manifestChanged = true;
    }
    writeAtomic(target, bytes);
    log(
      `wrote ${derived.file}: ${report.denormalsZeroed} denormal weights zeroed, batch dim symbolic on ` +
        `[${report.batchInputs.join(', ')}], ${report.reshapesRelaxed} reshape(s) relaxed, ` +
        `${report.depthwisePadded} depthwise conv(s) padded, ${report.preluRewritten} PRelu rewritten, sha256 ${got}`,
    );
  }
  if (manifestChanged) {
    if (args['update-manifest']) {
      writeFileSync(manifestPath, `${JSON.stringify(manifest, null, 2)}\n`);
      log(`updated derived sha256 in ${manifestPath}`);
    } else {
      throw new Error(`manifest has no sha256 for a derived file; rerun with --update-manifest`);
    }
  }
} finally {
  if (work) {
    rmSync(work, { recursive: true, force: true });
  }
}
