// Calendar arithmetic in a configured IANA time zone with Intl only (no tz
// library): attendance days, "today" and shift starts follow the site's clock,
// not the server's, and DST days are 23 or 25 hours long.

/** A calendar day, YYYY-MM-DD. */
export type LocalDate = string;

type Parts = { year: number; month: number; day: number; hour: number; minute: number; second: number };

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    // hourCycle h23: some engines print midnight as 24 with hour12: false.
    f = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    });
    formatters.set(timeZone, f);
  }
  return f;
}

/** Throws a RangeError for names Intl does not know; call it when config is loaded. */
export function assertTimeZone(timeZone: string): void {
  formatter(timeZone);
}

function zonedParts(at: Date, timeZone: string): Parts {
  const out: Record<string, number> = {};
  for (const p of formatter(timeZone).formatToParts(at)) {
    if (p.type !== 'literal') {
      out[p.type] = Number(p.value);
    }
  }
  return {
    year: out.year ?? 0,
    month: out.month ?? 0,
    day: out.day ?? 0,
    hour: out.hour ?? 0,
    minute: out.minute ?? 0,
    second: out.second ?? 0,
  };
}

const pad = (n: number, w = 2): string => String(Math.abs(n)).padStart(w, '0');

/** Offset of the zone from UTC at that instant, in minutes (east positive). */
export function offsetMinutes(at: Date, timeZone: string): number {
  const p = zonedParts(at, timeZone);
  const asUtc = Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute, p.second);
  const wholeSeconds = Math.floor(at.getTime() / 1000) * 1000;
  return Math.round((asUtc - wholeSeconds) / 60_000);
}

/** The calendar day of an instant in the zone. */
export function localDateOf(at: Date, timeZone: string): LocalDate {
  const p = zonedParts(at, timeZone);
  return `${pad(p.year, 4)}-${pad(p.month)}-${pad(p.day)}`;
}

/** Minutes since local midnight (wall clock), e.g. 08:30 -> 510. */
export function localMinuteOfDay(at: Date, timeZone: string): number {
  const p = zonedParts(at, timeZone);
  return p.hour * 60 + p.minute + p.second / 60;
}

/** ISO 8601 with the zone's offset, e.g. 2024-03-10T23:30:00.000-05:00. */
export function toZonedIso(at: Date, timeZone: string): string {
  const p = zonedParts(at, timeZone);
  const off = offsetMinutes(at, timeZone);
  const sign = off < 0 ? '-' : '+';
  const ms = pad(((at.getTime() % 1000) + 1000) % 1000, 3);
  return (
    `${pad(p.year, 4)}-${pad(p.month)}-${pad(p.day)}T${pad(p.hour)}:${pad(p.minute)}:${pad(p.second)}.${ms}` +
    `${sign}${pad(Math.trunc(Math.abs(off) / 60))}:${pad(Math.abs(off) % 60)}`
  );
}

function parseLocalDate(date: LocalDate): { y: number; m: number; d: number } {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
  if (!match) {
    throw new RangeError(`not a YYYY-MM-DD date: ${date}`);
  }
  return { y: Number(match[1]), m: Number(match[2]), d: Number(match[3]) };
}

export function isLocalDate(s: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(s)) {
    return false;
  }
  const { y, m, d } = parseLocalDate(s);
  const t = new Date(Date.UTC(y, m - 1, d));
  return t.getUTCFullYear() === y && t.getUTCMonth() === m - 1 && t.getUTCDate() === d;
}

/**
 * The instant at which the wall clock in the zone shows date + HH:MM, with
 * Temporal's "compatible" rule: a wall time inside a DST gap is moved forward
 * by the gap (02:30 on a spring-forward day -> 03:30), and one that occurs
 * twice (fall back) resolves to the earlier instant.
 */
export function zonedTimeToUtc(date: LocalDate, hhmm: string, timeZone: string): Date {
  const { y, m, d } = parseLocalDate(date);
  const [hh = 0, mm = 0] = hhmm.split(':').map(Number);
  const wall = Date.UTC(y, m - 1, d, hh, mm);
  // Transitions are months apart, so the offsets a day either side are the two in play.
  const before = wall - offsetMinutes(new Date(wall - 86_400_000), timeZone) * 60_000;
  const after = wall - offsetMinutes(new Date(wall + 86_400_000), timeZone) * 60_000;
  const valid = [before, after].filter((t) => localWall(t, timeZone) === wall);
  if (valid.length > 0) {
    return new Date(Math.min(...valid));
  }
  return new Date(before);
}

function localWall(instant: number, timeZone: string): number {
  const p = zonedParts(new Date(instant), timeZone);
  return Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute, p.second);
}

/** First instant of the local day. */
export function startOfLocalDay(date: LocalDate, timeZone: string): Date {
  return zonedTimeToUtc(date, '00:00', timeZone);
}

/** Calendar arithmetic on YYYY-MM-DD, independent of any zone. */
export function addDays(date: LocalDate, days: number): LocalDate {
  const { y, m, d } = parseLocalDate(date);
  const t = new Date(Date.UTC(y, m - 1, d + days));
  return `${pad(t.getUTCFullYear(), 4)}-${pad(t.getUTCMonth() + 1)}-${pad(t.getUTCDate())}`;
}

/** Every day from..to inclusive; empty when to < from. */
export function eachDay(from: LocalDate, to: LocalDate): LocalDate[] {
  const out: LocalDate[] = [];
  for (let d = from; d <= to; d = addDays(d, 1)) {
    out.push(d);
  }
  return out;
}
