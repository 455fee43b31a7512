// Which log of a local day is the check-in and which the check-out.
//
// The labels are a function of the day's non-voided logs alone, so they are
// recomputed (not patched) after every insert, edit or void:
// - the earliest log of the day is `check_in`;
// - with CHECKOUT_ENABLED, the latest log is `check_out` when it is at least
//   CHECKOUT_MIN_MINUTES after the check-in: at most one per day, and a later
//   event takes the label over (the earlier one becomes `seen`);
// - every other log (outside the dedupe window, so kept) is `seen`.
// Events inside the dedupe window never become logs at all.
import type { AttendanceEventType } from './types.js';

export type DayLog = { id: number; checkInTime: Date; eventType: AttendanceEventType };

export type LabelRules = { checkoutEnabled: boolean; checkoutMinMinutes: number };

function byTime(a: DayLog, b: DayLog): number {
  return a.checkInTime.getTime() - b.checkInTime.getTime() || a.id - b.id;
}

/** The label each log of one employee's day should carry. */
export function labelDay(logs: readonly DayLog[], rules: LabelRules): Map<number, AttendanceEventType> {
  const labels = new Map<number, AttendanceEventType>();
  const sorted = [...logs].sort(byTime);
  const first = sorted[0];
  const last = sorted.at(-1);
  for (const log of sorted) {
    labels.set(log.id, 'seen');
  }
  if (!first || !last) {
    return labels;
  }
  labels.set(first.id, 'check_in');
  const span = last.checkInTime.getTime() - first.checkInTime.getTime();
  if (rules.checkoutEnabled && last !== first && span >= rules.checkoutMinMinutes * 60_000) {
    labels.set(last.id, 'check_out');
  }
  return labels;
}

/** Only the logs whose stored label differs from the computed one. */
export function labelChanges(
  logs: readonly DayLog[],
  rules: LabelRules,
): Array<{ id: number; eventType: AttendanceEventType }> {
  const labels = labelDay(logs, rules);
  return logs.flatMap((log) => {
    const eventType = labels.get(log.id);
    return eventType && eventType !== log.eventType ? [{ id: log.id, eventType }] : [];
  });
}
