// Verification pairs: the CSV format `eval` reads (header + image a, image b,
// label) and building every pair of single-face photos from ../shared/faces.
import { parse } from 'csv-parse/sync';
import { stringify } from 'csv-stringify/sync';

export interface Pair {
  a: string;
  b: string;
  same: boolean;
}

const YES = new Set(['yes', 'y', '1', 'true', 'same']);
const NO = new Set(['no', 'n', '0', 'false', 'different']);

export function parseLabel(value: string): boolean {
  const v = value.trim().toLowerCase();
  if (YES.has(v)) {return true;}
  if (NO.has(v)) {return false;}
  throw new Error(`pair label "${value}" is not Yes/No, 1/0 or true/false`);
}

/** Pairs CSV with a header row and three columns: image a, image b, label. */
export function parsePairsCsv(text: string): Pair[] {
  const rows: string[][] = parse(text, { skip_empty_lines: true, trim: true });
  return rows.slice(1).map((row, i) => {
    if (row.length < 3) {
      throw new Error(`pairs CSV line ${i + 2}: expected 3 columns, got ${row.length}`);
    }
    return { a: row[0]!, b: row[1]!, same: parseLabel(row[2]!) };
  });
}

export interface FaceLabel {
  file: string;
  /** People in the photo, left to right. */
  people: string[];
}

/** labels.csv of ../shared/faces: a header, then file and the faces left to right, `;`-separated. */
export function parseFaceLabels(labelsCsv: string): FaceLabel[] {
  const rows: string[][] = parse(labelsCsv, { skip_empty_lines: true, trim: true });
  return rows.slice(1).map(([file, people]) => ({ file: file!, people: (people ?? '').split(';').filter(Boolean) }));
}

/** labels.csv -> every pair of single-face photos. */
export function pairsFromLabels(labelsCsv: string): Pair[] {
  const single = parseFaceLabels(labelsCsv).filter((r) => r.people.length === 1);
  const pairs: Pair[] = [];
  for (let i = 0; i < single.length; i++) {
    for (let j = i + 1; j < single.length; j++) {
      pairs.push({ a: single[i]!.file, b: single[j]!.file, same: single[i]!.people[0] === single[j]!.people[0] });
    }
  }
  return pairs;
}

export function pairsToCsv(pairs: readonly Pair[]): string {
  return stringify([['image_a', 'image_b', 'same'], ...pairs.map((p) => [p.a, p.b, p.same ? 'Yes' : 'No'])]);
}
