// Dates and numbers as people read them, in the browser's locale and time zone.

const time = new Intl.DateTimeFormat(undefined, { hour: '2-digit', minute: '2-digit' });
const timeSeconds = new Intl.DateTimeFormat(undefined, { hour: '2-digit', minute: '2-digit', second: '2-digit' });
const dateTime = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });
const day = new Intl.DateTimeFormat(undefined, { weekday: 'short', day: 'numeric', month: 'short' });

export const formatTime = (iso: string): string => time.format(new Date(iso));
export const formatTimeSeconds = (iso: string): string => timeSeconds.format(new Date(iso));
export const formatDateTime = (iso: string | null | undefined): string => (iso === null || iso === undefined ? '—' : dateTime.format(new Date(iso)));
/** A local YYYY-MM-DD (the server's attendance day) shown as "Mon 3 Mar". */
export const formatDay = (localDate: string): string => day.format(new Date(`${localDate}T12:00:00`));
export const formatPercent = (ratio: number): string => `${Math.round(ratio * 100)}%`;
export const formatMs = (ms: number | null | undefined): string => (ms === null || ms === undefined ? '—' : `${Math.round(ms)} ms`);

/** YYYY-MM-DD of a date in the browser's zone (date inputs speak this). */
export function isoDay(date: Date): string {
  const y = date.getFullYear();
  const m = String(date.getMonth() + 1).padStart(2, '0');
  const d = String(date.getDate()).padStart(2, '0');
  return `${y}-${m}-${d}`;
}

export function daysAgo(n: number, from = new Date()): string {
  const d = new Date(from);
  d.setDate(d.getDate() - n);
  return isoDay(d);
}

/** A value for <input type="datetime-local"> from an ISO instant, and back. */
export function toLocalInput(iso: string): string {
  const d = new Date(iso);
  return `${isoDay(d)}T${String(d.getHours()).padStart(2, '0')}:${String(d.getMinutes()).padStart(2, '0')}`;
}
export const fromLocalInput = (value: string): string => new Date(value).toISOString();

export const methodLabel: Record<string, string> = { svm: 'Classifier', cosine: 'Similarity', manual: 'Manual' };
export const eventLabel: Record<string, string> = { check_in: 'Check-in', check_out: 'Check-out', seen: 'Seen' };
