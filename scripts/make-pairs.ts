// Writes the verification pairs CSV for `face-attendance eval`: every pair of
// single-face photos in ../shared/faces (people/* and single-face probes),
// labelled from labels.csv.
//   npx tsx scripts/make-pairs.ts [--faces ../shared/faces] [--out /tmp/face-pairs.csv]
import { readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { pairsFromLabels, pairsToCsv } from '../src/cli/pairs.js';

const { values } = parseArgs({
  options: {
    faces: { type: 'string', default: resolve(process.cwd(), '../shared/faces') },
    out: { type: 'string', default: join(tmpdir(), 'face-pairs.csv') },
  },
});
const pairs = pairsFromLabels(readFileSync(join(values.faces, 'labels.csv'), 'utf8'));
writeFileSync(values.out, pairsToCsv(pairs));
const same = pairs.filter((p) => p.same).length;
process.stdout.write(`wrote ${pairs.length} pairs (${same} same, ${pairs.length - same} different) to ${values.out}\n`);
process.stdout.write(`run: npx face-attendance eval --pairs ${values.out} --images ${values.faces}\n`);
