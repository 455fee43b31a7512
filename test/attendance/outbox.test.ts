// The outbox journal on its own: order, torn lines, poison events, compaction.
// The write function stands in for the database; the proxy test covers the real one.
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createOutbox, DEAD_LETTER_FILE, JOURNAL_FILE, type OutboxEntry } from '../../src/attendance/outbox.js';
import { silentLogger } from './service-fixture.js';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'outbox-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

const entry = (eventId: string, employeeId = 1): OutboxEntry => ({
  eventId,
  employeeId,
  cameraId: null,
  at: '2024-06-12T12:00:00.000Z',
  confidence: 0.9,
  method: 'svm',
});

const unreachable = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:3306'), { code: 'ECONNREFUSED' });

describe('outbox', () => {
  it('keeps events while writes fail as unreachable, then writes them in arrival order and compacts', async () => {
    let up = false;
    const written: string[] = [];
    const outbox = createOutbox({
      dir,
      logger: silentLogger,
      initialBackoffMs: 10,
      maxBackoffMs: 20,
      write: async (e) => {
        if (!up) {
          throw unreachable;
        }
        written.push(e.eventId);
      },
    });
    await outbox.start();
    for (const [id, emp] of [['a', 1], ['b', 2], ['c', 1], ['a', 1]] as const) {
      await outbox.enqueue(entry(id, emp));
    }
    expect(outbox.size).toBe(3);
    expect(outbox.hasPending(1)).toBe(true);
    expect(await outbox.drain()).toBe(3);
    up = true;
    await outbox.whenEmpty();
    expect(written).toEqual(['a', 'b', 'c']);
    expect(outbox.hasPending(1)).toBe(false);
    expect(await readFile(join(dir, JOURNAL_FILE), 'utf8')).toBe('');
    await outbox.stop();
  });

  it('replays what a previous process left, skipping acked events and a torn last line', async () => {
    const line = (o: object) => `${JSON.stringify(o)}\n`;
    await writeFile(
      join(dir, JOURNAL_FILE),
      line({ t: 'enq', e: entry('x') }) + line({ t: 'enq', e: entry('y') }) + line({ t: 'ack', id: 'x' }) + '{"t":"enq","e":{"eventId":"z',
    );
    const written: string[] = [];
    const outbox = createOutbox({ dir, logger: silentLogger, write: async (e) => void written.push(e.eventId) });
    await outbox.start();
    await outbox.whenEmpty();
    expect(written).toEqual(['y']);
    // An enqueue after the torn line starts on a clean line (the journal was rewritten at start).
    await outbox.stop();
    const again = createOutbox({ dir, logger: silentLogger, write: () => Promise.reject(unreachable) });
    await again.start();
    await again.enqueue(entry('w'));
    await again.stop();
    const lines = (await readFile(join(dir, JOURNAL_FILE), 'utf8')).trim().split('\n');
    expect(lines.map((l) => (JSON.parse(l) as { e: OutboxEntry }).e.eventId)).toEqual(['w']);
  });

  it('moves an event that fails for another reason to the dead letter file and goes on', async () => {
    const written: string[] = [];
    const outbox = createOutbox({
      dir,
      logger: silentLogger,
      write: async (e) => {
        if (e.eventId === 'bad') {
          throw new Error('constraint violated');
        }
        written.push(e.eventId);
      },
    });
    await outbox.start();
    await outbox.enqueue(entry('bad'));
    await outbox.enqueue(entry('good'));
    await outbox.drain();
    await outbox.whenEmpty();
    expect(written).toEqual(['good']);
    const dead = await readFile(join(dir, DEAD_LETTER_FILE), 'utf8');
    expect(dead).toContain('"eventId":"bad"');
    expect(dead).toContain('constraint violated');
    await outbox.stop();
  });
});
