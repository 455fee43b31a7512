// The outbox on its own: order, torn lines, poison events, compaction, its bound and alarm, snapshot files.
// The write function stands in for the database; the proxy test covers the real one.
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createOutbox, DEAD_LETTER_FILE, JOURNAL_FILE, OutboxFullError, POISON_ATTEMPTS, type OutboxEntry } from '../../src/attendance/outbox.js';
import { SNAPSHOT_DIR } from '../../src/attendance/outbox-snapshots.js';
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

  it('moves an event that proves itself bad (a constraint) to the dead letter file and goes on', async () => {
    const written: string[] = [];
    const outbox = createOutbox({
      dir,
      logger: silentLogger,
      write: async (e) => {
        if (e.eventId === 'bad') {
          throw Object.assign(new Error('Null constraint violation'), { name: 'PrismaClientKnownRequestError', code: 'P2011' });
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
    expect(dead).toContain('null constraint');
    expect(outbox.status().deadLettered).toBe(1);
    await outbox.stop();
  });

  it('keeps retrying any other failure while the database does not answer, and dead-letters it only when it does', async () => {
    let dbAnswers = false;
    const written: string[] = [];
    const outbox = createOutbox({
      dir,
      logger: silentLogger,
      initialBackoffMs: 5,
      maxBackoffMs: 10,
      probe: async () => dbAnswers,
      write: async (e) => {
        if (e.eventId === 'odd') {
          // Not a known code: "not proven bad".
          throw new Error('Transaction API error: Unable to start a transaction in the given time.');
        }
        written.push(e.eventId);
      },
    });
    await outbox.start();
    await outbox.enqueue(entry('odd'));
    await outbox.enqueue(entry('fine', 2));
    for (let i = 0; i < 10; i += 1) {
      await outbox.drain();
    }
    // Ten failures while the database is down: still first in line, nothing behind it overtook.
    expect(outbox.size).toBe(2);
    expect(written).toEqual([]);
    expect(outbox.status()).toMatchObject({ retrying: true, queued: 2, lastError: expect.stringContaining('Unable to start') as unknown });
    dbAnswers = true;
    await outbox.whenEmpty();
    expect(written).toEqual(['fine']);
    const dead = await readFile(join(dir, DEAD_LETTER_FILE), 'utf8');
    expect(dead).toContain('"eventId":"odd"');
    expect(dead).toContain(`failed ${POISON_ATTEMPTS} times while the database answered`);
    expect(outbox.status()).toMatchObject({ retrying: false, queued: 0, deadLettered: 1 });
    await outbox.stop();
  });

  it('warns before its bound, refuses past it, and keeps snapshots on disk rather than in the journal', async () => {
    const warnings: string[] = [];
    const errors: string[] = [];
    const logger = { info() {}, warn: (_o: object, m?: string) => void warnings.push(m ?? ''), error: (_o: object, m?: string) => void errors.push(m ?? '') };
    let up = false;
    const got: Array<[string, number | undefined]> = [];
    const outbox = createOutbox({
      dir,
      logger,
      maxEvents: 5,
      initialBackoffMs: 5,
      maxBackoffMs: 10,
      write: async (e, snapshot) => {
        if (!up) {
          throw unreachable;
        }
        got.push([e.eventId, snapshot?.length]);
      },
    });
    await outbox.start();
    const jpeg = new Uint8Array(3000).fill(7);
    for (let i = 0; i < 4; i += 1) {
      await outbox.enqueue(entry(`e${i}`, i), i === 0 ? jpeg : undefined);
    }
    expect(outbox.status()).toMatchObject({ level: 'warning', queued: 4, capacity: 5, warnAt: 4 });
    expect(warnings.filter((w) => w.includes('filling up'))).toHaveLength(1);
    await outbox.enqueue(entry('e4', 4));
    expect(outbox.status().level).toBe('full');
    await expect(outbox.enqueue(entry('e5', 5))).rejects.toBeInstanceOf(OutboxFullError);
    expect(errors.some((e) => e.includes('outbox full'))).toBe(true);
    const journal = await readFile(join(dir, JOURNAL_FILE), 'utf8');
    expect(journal.length).toBeLessThan(2000);
    expect(await readdir(join(dir, SNAPSHOT_DIR))).toHaveLength(1);
    up = true;
    await outbox.drain();
    await outbox.whenEmpty();
    expect(got).toEqual([['e0', 3000], ['e1', undefined], ['e2', undefined], ['e3', undefined], ['e4', undefined]]);
    expect(outbox.status()).toMatchObject({ level: 'ok', queued: 0 });
    expect(await readdir(join(dir, SNAPSHOT_DIR))).toHaveLength(0);
    await outbox.stop();
  });
});
