// Erasure in the outbox: the dead-letter file rewritten without one employee's
// events (their lines carry the face crop as base64). The queue itself is
// handled by the outbox (AttendanceOutbox.forgetEmployee), which calls this.
import { readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

/** Rewrites `file` without the lines of `employeeId`; returns how many were dropped. */
export async function dropDeadLettersOf(dir: string, file: string, employeeId: number): Promise<number> {
  const path = join(dir, file);
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
      return 0;
    }
    throw error;
  }
  const lines = text.split('\n').filter((line) => line.trim() !== '');
  const kept = lines.filter((line) => {
    try {
      return (JSON.parse(line) as { entry?: { employeeId?: number } }).entry?.employeeId !== employeeId;
    } catch {
      return true;
    }
  });
  if (kept.length !== lines.length) {
    const tmp = `${path}.tmp`;
    await writeFile(tmp, kept.map((l) => `${l}\n`).join(''), { mode: 0o600 });
    await rename(tmp, path);
  }
  return lines.length - kept.length;
}
