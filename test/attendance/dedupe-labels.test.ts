import { describe, expect, it } from 'vitest';
import { labelChanges, labelDay, type DayLog } from '../../src/attendance/day-labels.js';
import { decideDedupe } from '../../src/attendance/dedupe.js';
import { deriveEventId } from '../../src/attendance/event-id.js';

const t = (hhmm: string): Date => new Date(`2024-06-10T${hhmm}:00Z`);

describe('decideDedupe', () => {
  const logs = [{ id: 1, checkInTime: t('09:00') }];

  it('drops an event less than the window after (or before) a log, whichever camera logged it', () => {
    expect(decideDedupe(logs, t('09:04'), 5)).toEqual({ kind: 'duplicate', existingLogId: 1 });
    expect(decideDedupe(logs, t('08:56'), 5)).toEqual({ kind: 'duplicate', existingLogId: 1 });
  });

  it('keeps an event exactly one window away, and everything with a window of 0', () => {
    expect(decideDedupe(logs, t('09:05'), 5)).toEqual({ kind: 'new' });
    expect(decideDedupe(logs, t('09:00'), 0)).toEqual({ kind: 'new' });
  });

  it('names the nearest log when several are in the window', () => {
    const two = [
      { id: 1, checkInTime: t('09:00') },
      { id: 2, checkInTime: t('09:06') },
    ];
    expect(decideDedupe(two, t('09:05'), 10)).toEqual({ kind: 'duplicate', existingLogId: 2 });
  });
});

describe('labelDay', () => {
  const day = (...times: string[]): DayLog[] =>
    times.map((hhmm, i) => ({ id: i + 1, checkInTime: t(hhmm), eventType: 'seen' as const }));
  const on = { checkoutEnabled: true, checkoutMinMinutes: 240 };
  const off = { checkoutEnabled: false, checkoutMinMinutes: 240 };

  it('makes the first log the check-in and the rest sightings without checkout tracking', () => {
    expect([...labelDay(day('09:00', '12:00', '18:00'), off)]).toEqual([
      [1, 'check_in'],
      [2, 'seen'],
      [3, 'seen'],
    ]);
  });

  it('makes the latest log the check-out once it is CHECKOUT_MIN_MINUTES after the check-in', () => {
    expect(labelDay(day('09:00', '12:00'), on).get(2)).toBe('seen');
    expect(labelDay(day('09:00', '13:00'), on).get(2)).toBe('check_out');
    const labels = labelDay(day('09:00', '13:00', '17:30'), on);
    expect([labels.get(1), labels.get(2), labels.get(3)]).toEqual(['check_in', 'seen', 'check_out']);
  });

  it('orders by time, not by id (an out-of-order replay becomes the check-in)', () => {
    const logs: DayLog[] = [
      { id: 1, checkInTime: t('09:30'), eventType: 'check_in' },
      { id: 2, checkInTime: t('08:45'), eventType: 'seen' },
    ];
    expect(labelChanges(logs, off)).toEqual([
      { id: 1, eventType: 'seen' },
      { id: 2, eventType: 'check_in' },
    ]);
  });

  it('a single log is never its own check-out', () => {
    expect([...labelDay(day('09:00'), { checkoutEnabled: true, checkoutMinMinutes: 0 })]).toEqual([[1, 'check_in']]);
  });
});

describe('deriveEventId', () => {
  it('is stable for the same event and differs by employee, camera and millisecond', () => {
    const at = new Date('2024-06-10T09:00:00.123Z');
    const id = deriveEventId(7, 2, at);
    expect(id).toMatch(/^[0-9a-f]{64}$/);
    expect(deriveEventId(7, 2, new Date(at))).toBe(id);
    expect(deriveEventId(8, 2, at)).not.toBe(id);
    expect(deriveEventId(7, null, at)).not.toBe(id);
    expect(deriveEventId(7, 2, new Date(at.getTime() + 1))).not.toBe(id);
  });
});
