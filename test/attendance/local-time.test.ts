import { describe, expect, it } from 'vitest';
import {
  addDays,
  eachDay,
  isLocalDate,
  localDateOf,
  localMinuteOfDay,
  offsetMinutes,
  startOfLocalDay,
  toZonedIso,
  zonedTimeToUtc,
} from '../../src/attendance/local-time.js';

const NY = 'America/New_York';
const KOLKATA = 'Asia/Kolkata';

describe('localDateOf around local midnight', () => {
  it('puts 23:30 and 00:30 New York time on consecutive days although both are the same UTC day', () => {
    // 2024-06-14 23:30 EDT = 2024-06-15 03:30Z; 2024-06-15 00:30 EDT = 04:30Z
    const late = new Date('2024-06-15T03:30:00Z');
    const early = new Date('2024-06-15T04:30:00Z');
    expect(localDateOf(late, NY)).toBe('2024-06-14');
    expect(localDateOf(early, NY)).toBe('2024-06-15');
    expect(localDateOf(late, 'UTC')).toBe(localDateOf(early, 'UTC'));
  });

  it('handles a half-hour offset zone east of UTC (23:30 and 00:30 Kolkata)', () => {
    // 23:30 IST = 18:00Z, 00:30 IST = 19:00Z the same UTC day
    expect(localDateOf(new Date('2024-01-31T18:00:00Z'), KOLKATA)).toBe('2024-01-31');
    expect(localDateOf(new Date('2024-01-31T19:00:00Z'), KOLKATA)).toBe('2024-02-01');
    expect(localMinuteOfDay(new Date('2024-01-31T19:00:00Z'), KOLKATA)).toBe(30);
  });

  it('midnight itself belongs to the new day', () => {
    expect(localDateOf(new Date('2024-06-15T04:00:00Z'), NY)).toBe('2024-06-15');
    expect(localDateOf(new Date('2024-06-15T03:59:59.999Z'), NY)).toBe('2024-06-14');
  });
});

describe('DST', () => {
  it('reports the offset on both sides of the spring-forward and fall-back transitions', () => {
    expect(offsetMinutes(new Date('2024-03-10T06:59:00Z'), NY)).toBe(-300);
    expect(offsetMinutes(new Date('2024-03-10T07:00:00Z'), NY)).toBe(-240);
    expect(offsetMinutes(new Date('2024-11-03T05:59:00Z'), NY)).toBe(-240);
    expect(offsetMinutes(new Date('2024-11-03T06:00:00Z'), NY)).toBe(-300);
  });

  it('finds local midnight on DST days (23 h and 25 h long)', () => {
    const springStart = startOfLocalDay('2024-03-10', NY);
    const springEnd = startOfLocalDay('2024-03-11', NY);
    expect(springStart.toISOString()).toBe('2024-03-10T05:00:00.000Z');
    expect((springEnd.getTime() - springStart.getTime()) / 3_600_000).toBe(23);
    const fallStart = startOfLocalDay('2024-11-03', NY);
    const fallEnd = startOfLocalDay('2024-11-04', NY);
    expect((fallEnd.getTime() - fallStart.getTime()) / 3_600_000).toBe(25);
  });

  it('moves a wall time inside the spring gap forward and resolves the repeated hour to its first instance', () => {
    // 02:30 does not exist on 2024-03-10 in New York: 03:30 EDT = 07:30Z
    expect(zonedTimeToUtc('2024-03-10', '02:30', NY).toISOString()).toBe('2024-03-10T07:30:00.000Z');
    // 01:30 happens twice on 2024-11-03: first at EDT (05:30Z), then EST (06:30Z)
    expect(zonedTimeToUtc('2024-11-03', '01:30', NY).toISOString()).toBe('2024-11-03T05:30:00.000Z');
    expect(zonedTimeToUtc('2024-07-01', '09:00', NY).toISOString()).toBe('2024-07-01T13:00:00.000Z');
    expect(zonedTimeToUtc('2024-01-15', '09:00', NY).toISOString()).toBe('2024-01-15T14:00:00.000Z');
  });

  it('23:30 and 00:30 on the night of the fall-back change still land on their own days', () => {
    // 2024-11-02 23:30 EDT = 2024-11-03T03:30Z; 2024-11-03 00:30 EDT = 04:30Z
    expect(localDateOf(new Date('2024-11-03T03:30:00Z'), NY)).toBe('2024-11-02');
    expect(localDateOf(new Date('2024-11-03T04:30:00Z'), NY)).toBe('2024-11-03');
  });
});

describe('formatting and calendar arithmetic', () => {
  it('prints ISO with the zone offset', () => {
    expect(toZonedIso(new Date('2024-06-15T03:30:00.250Z'), NY)).toBe('2024-06-14T23:30:00.250-04:00');
    expect(toZonedIso(new Date('2024-01-31T19:00:00Z'), KOLKATA)).toBe('2024-02-01T00:30:00.000+05:30');
    expect(toZonedIso(new Date('2024-01-31T19:00:00Z'), 'UTC')).toBe('2024-01-31T19:00:00.000+00:00');
  });

  it('adds days across month, year and leap-day boundaries', () => {
    expect(addDays('2024-02-28', 1)).toBe('2024-02-29');
    expect(addDays('2024-03-01', -1)).toBe('2024-02-29');
    expect(addDays('2023-12-31', 1)).toBe('2024-01-01');
    expect(eachDay('2024-02-27', '2024-03-01')).toEqual(['2024-02-27', '2024-02-28', '2024-02-29', '2024-03-01']);
    expect(eachDay('2024-03-02', '2024-03-01')).toEqual([]);
  });

  it('validates YYYY-MM-DD strings', () => {
    expect(isLocalDate('2024-02-29')).toBe(true);
    expect(isLocalDate('2023-02-29')).toBe(false);
    expect(isLocalDate('2024-2-1')).toBe(false);
    expect(isLocalDate('2024-13-01')).toBe(false);
  });

  it('rejects an unknown time zone', () => {
    expect(() => localDateOf(new Date(), 'Mars/Olympus_Mons')).toThrow(RangeError);
  });
});
