// Training and decision at growing workforces, on synthetic face-like 512-d embeddings
// (intra-class cosine ~0.7, inter-class ~0.15: src/recognition/svm/synthetic-embeddings.ts).
// Each size runs in its own child process, so peak memory (max RSS) is that size's alone.
// Per size: training wall and CPU time, peak memory, CV accuracy, and the recognition decision
// (cosine shortlist from the gallery + classifier + rules) on fresh probes of enrolled people and
// of strangers: accuracy, misnamed, strangers named, decision latency p50/p95, and the same
// decision's latency on a 5-employee gallery in the same process (the ratio target is <= 1.5).
//
//   npm run bench:training -- --employees 50,200,1000,5000 --templates 40 --templates-at 5000:20
//   [--trainer shortlist|global|both]  (global = the multi-class RBF SVM of src/recognition/svm)
//   [--probes 2] (per enrolled person, at most 2,000 in all)  [--out bench/results/training.json]
//   [--service]  through the real app instead: N employees' templates in a fresh MariaDB
//   database, the training service (load, low-priority worker, persist, make live), then
//   recognize (real engine on a real photo + decision) at that size; a 5-employee run is added
//   for the recognize ratio. Writes bench/results/training-service.json.
import { spawn } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, totalmem } from 'node:os';
import { fileURLToPath } from 'node:url';
import { execSync } from 'node:child_process';
import { measureServiceSize, type ServiceSizeResult } from './support/training-service-size.js';
import { measureSize, type SizeResult, type Trainer } from './support/training-size.js';

const arg = (name: string): string | undefined => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : process.argv.find((a) => a.startsWith(`--${name}=`))?.split('=')[1];
};

if (process.argv.includes('--child')) {
  const [employees, templates, trainer, probes] = process.argv.slice(process.argv.indexOf('--child') + 1);
  const result =
    trainer === 'service'
      ? await measureServiceSize(Number(employees), Number(templates))
      : await measureSize(Number(employees), Number(templates), trainer as Trainer, Number(probes));
  process.stdout.write(`${JSON.stringify(result)}\n`);
  process.exit(0);
}

const sizes = (arg('employees') ?? '50,200,1000').split(',').map(Number);
const defaultTemplates = Number(arg('templates') ?? 40);
const perSize = new Map(
  (arg('templates-at') ?? '')
    .split(',')
    .filter(Boolean)
    .map((p) => p.split(':').map(Number) as [number, number]),
);
const service = process.argv.includes('--service');
const trainerArg = arg('trainer') ?? 'shortlist';
const trainers: Trainer[] = trainerArg === 'both' ? ['global', 'shortlist'] : [trainerArg as Trainer];
const probes = Number(arg('probes') ?? 2);
const out = arg('out') ?? fileURLToPath(new URL(service ? './results/training-service.json' : './results/training.json', import.meta.url));

function runChild<R = SizeResult>(employees: number, templates: number, trainer: Trainer | 'service'): Promise<R> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      [...process.execArgv, '--expose-gc', fileURLToPath(import.meta.url), '--child', String(employees), String(templates), trainer, String(probes)],
      { stdio: ['ignore', 'pipe', 'inherit'] },
    );
    let text = '';
    child.stdout.on('data', (b: Buffer) => (text += b.toString()));
    child.on('error', reject);
    child.on('exit', (code) => {
      const line = text.trim().split('\n').at(-1) ?? '';
      if (code !== 0 || !line.startsWith('{')) {
        reject(new Error(`size ${employees}x${templates} (${trainer}) failed with exit code ${code}`));
        return;
      }
      resolve(JSON.parse(line) as R);
    });
  });
}

const load = (): string => loadavg().map((v) => v.toFixed(2)).join(' ');
const machine = `${cpus()[0]?.model ?? 'cpu'}, ${cpus().length} cores, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, node ${process.version}`;
console.log(`${machine}; load before: ${load()}`);
if (service) {
  console.log(
    'employees x tpl  store s  train s   cpu s  peak MiB (in train)  strategy   cvAcc  recognize p50/p95 ms  decide p50  | 5 staff: recognize decide  ratio  named (method)',
  );
  const rows: (ServiceSizeResult & { loadAfter: string })[] = [];
  for (const employees of [5, ...sizes.filter((n) => n !== 5)]) {
    const templates = perSize.get(employees) ?? defaultTemplates;
    const r = await runChild<ServiceSizeResult>(employees, templates, 'service');
    rows.push({ ...r, loadAfter: load() });
    const ratio = r.recognizeP50Ms / r.smallRecognizeP50Ms;
    console.log(
      `${String(employees).padStart(9)} x ${String(templates).padEnd(3)} ${(r.storeMs / 1000).toFixed(1).padStart(7)} ${(r.trainWallMs / 1000).toFixed(2).padStart(7)} ${(r.trainCpuMs / 1000).toFixed(2).padStart(7)} ${String(Math.round(r.peakRssMiB)).padStart(9)} (${String(Math.round(r.trainRssMiB)).padStart(5)})  ${r.strategy.padEnd(9)}  ${r.cvAccuracy.toFixed(3)}  ${r.recognizeP50Ms.toFixed(1).padStart(8)} / ${r.recognizeP95Ms.toFixed(1).padEnd(8)}  ${r.decideP50Ms.toFixed(2).padStart(9)}  | ${r.smallRecognizeP50Ms.toFixed(1).padStart(17)} ${r.smallDecideP50Ms.toFixed(2).padStart(6)}  ${ratio.toFixed(2).padStart(5)}  ${r.named ?? '-'} (${r.method ?? '-'})`,
    );
  }
  const uptime = execSync('uptime').toString().trim();
  console.log(`load after: ${load()}  (${uptime})`);
  writeFileSync(out, `${JSON.stringify({ date: new Date().toISOString(), machine, uptime, rows }, null, 2)}\n`);
  process.exit(0);
}
console.log(
  'trainer    employees x tpl  train s   cpu s  peak MiB  cvAcc   named  misnamed  strangers  decide p50/p95 ms  (5 staff p50)  ratio',
);
const rows: (SizeResult & { loadAfter: string })[] = [];
for (const trainer of trainers) {
  for (const employees of sizes) {
    const templates = perSize.get(employees) ?? defaultTemplates;
    const r = await runChild(employees, templates, trainer);
    rows.push({ ...r, loadAfter: load() });
    console.log(
      `${trainer.padEnd(10)} ${String(employees).padStart(9)} x ${String(templates).padEnd(3)} ${(r.trainWallMs / 1000).toFixed(2).padStart(7)} ${(r.trainCpuMs / 1000).toFixed(2).padStart(7)} ${String(Math.round(r.peakRssMiB)).padStart(9)}  ${r.cvAccuracy.toFixed(3)}  ${r.named.toFixed(3)}  ${r.misnamed.toFixed(4).padStart(8)}  ${r.strangersNamed.toFixed(4).padStart(9)}  ${r.decideP50Ms.toFixed(2).padStart(7)} / ${r.decideP95Ms.toFixed(2).padEnd(7)}  ${r.smallDecideP50Ms.toFixed(2).padStart(12)}  ${(r.decideP50Ms / r.smallDecideP50Ms).toFixed(2).padStart(5)}`,
    );
    console.log(`           phases ms ${JSON.stringify(Object.fromEntries(Object.entries(r.phaseMs).map(([k, v]) => [k, Math.round(v)])))} best ${JSON.stringify(r.best)}; by svm ${r.bySvm.toFixed(3)}`);
  }
}
const uptime = execSync('uptime').toString().trim();
console.log(`load after: ${load()}  (${uptime})`);
mkdirSync(new URL('./results/', import.meta.url), { recursive: true });
writeFileSync(out, `${JSON.stringify({ date: new Date().toISOString(), machine, uptime, rows }, null, 2)}\n`);
