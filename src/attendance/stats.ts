// Attendance statistics from plain rows, so the numbers can be checked by hand.
// Only non-voided logs may be passed in: a voided log leaves the statistics.
import { eachDay, type LocalDate, zonedTimeToUtc } from './local-time.js';

export type StatsLog = { employeeId: number; localDate: LocalDate; checkInTime: Date; confidenceScore: number };

export type StatsInput = {
  today: LocalDate;
  from: LocalDate;
  to: LocalDate;
  /** Active, not erased employees: the denominator of the attendance rate. */
  totalEmployees: number;
  /** Non-voided logs whose localDate lies in [from, to] or is today. */
  logs: readonly StatsLog[];
  timeZone: string;
  /** HH:MM local; without it lateness is not computed (null). */
  shiftStart?: string | undefined;
  lateGraceMinutes: number;
};

export type DayStats = {
  date: LocalDate;
  /** Distinct employees with at least one log that day. */
  present: number;
  /** Logs that day (check-ins, check-outs and sightings). */
  logs: number;
  /** present / totalEmployees, 0 when there are no employees. */
  attendanceRate: number;
  /** Employees whose first log came after shift start + grace; null without SHIFT_START. */
  late: number | null;
};

export type AttendanceStats = {
  totalEmployees: number;
  today: LocalDate;
  presentToday: number;
  absentToday: number;
  attendanceRate: number;
  lateToday: number | null;
  from: LocalDate;
  to: LocalDate;
  days: DayStats[];
  /** Mean confidence over the range's logs, null when there are none. */
  averageConfidence: number | null;
  /** Sum of late arrivals over the range, null without SHIFT_START. */
  lateArrivals: number | null;
  totalLogs: number;
};

type DayAccumulator = { firstByEmployee: Map<number, number>; logs: number };

function accumulate(logs: readonly StatsLog[]): Map<LocalDate, DayAccumulator> {
  const days = new Map<LocalDate, DayAccumulator>();
  for (const log of logs) {
    let day = days.get(log.localDate);
    if (!day) {
      day = { firstByEmployee: new Map(), logs: 0 };
      days.set(log.localDate, day);
    }
    day.logs += 1;
    const t = log.checkInTime.getTime();
    const prev = day.firstByEmployee.get(log.employeeId);
    if (prev === undefined || t < prev) {
      day.firstByEmployee.set(log.employeeId, t);
    }
  }
  return days;
}

function dayStats(date: LocalDate, day: DayAccumulator | undefined, input: StatsInput): DayStats {
  const present = day?.firstByEmployee.size ?? 0;
  let late: number | null = null;
  if (input.shiftStart) {
    // Shift start is local wall time, so its instant moves with DST.
    const deadline = zonedTimeToUtc(date, input.shiftStart, input.timeZone).getTime() + input.lateGraceMinutes * 60_000;
    late = [...(day?.firstByEmployee.values() ?? [])].filter((t) => t > deadline).length;
  }
  return {
    date,
    present,
    logs: day?.logs ?? 0,
    attendanceRate: input.totalEmployees > 0 ? present / input.totalEmployees : 0,
    late,
  };
}

export function computeStats(input: StatsInput): AttendanceStats {
  const byDay = accumulate(input.logs);
  const days = eachDay(input.from, input.to).map((date) => dayStats(date, byDay.get(date), input));
  const today = dayStats(input.today, byDay.get(input.today), input);
  const inRange = input.logs.filter((l) => l.localDate >= input.from && l.localDate <= input.to);
  const confidenceSum = inRange.reduce((sum, l) => sum + l.confidenceScore, 0);
  return {
    totalEmployees: input.totalEmployees,
    today: input.today,
    presentToday: today.present,
    absentToday: Math.max(0, input.totalEmployees - today.present),
    attendanceRate: today.attendanceRate,
    lateToday: today.late,
    from: input.from,
    to: input.to,
    days,
    averageConfidence: inRange.length > 0 ? confidenceSum / inRange.length : null,
    lateArrivals: input.shiftStart ? days.reduce((sum, d) => sum + (d.late ?? 0), 0) : null,
    totalLogs: inRange.length,
  };
}
