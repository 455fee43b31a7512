import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import { CSV_COLUMNS, logsToCsv } from '../../src/attendance/csv-export.js';
import { computeStats, type StatsLog } from '../../src/attendance/stats.js';

const NY = 'America/New_York';
// EDT in June: local = UTC - 4 h
const log = (employeeId: number, localDate: string, utc: string, confidenceScore: number): StatsLog => ({
  employeeId,
  localDate,
  checkInTime: new Date(utc),
  confidenceScore,
});

describe('computeStats against hand-computed numbers', () => {
  const logs = [
    log(1, '2024-06-09', '2024-06-09T13:00:00Z', 0.1), // before the range: ignored
    log(1, '2024-06-10', '2024-06-10T12:55:00Z', 0.9), // 08:55 on time
    log(1, '2024-06-10', '2024-06-10T21:00:00Z', 0.8), // 17:00, not the first log
    log(2, '2024-06-10', '2024-06-10T13:10:00Z', 0.7), // 09:10 = shift + grace exactly: on time
    log(3, '2024-06-10', '2024-06-10T13:11:00Z', 0.6), // 09:11: late
    log(4, '2024-06-12', '2024-06-12T14:00:00Z', 1.0), // 10:00: late
    log(2, '2024-06-12', '2024-06-12T12:00:00Z', 0.5), // 08:00
  ];
  const stats = computeStats({
    today: '2024-06-12',
    from: '2024-06-10',
    to: '2024-06-12',
    totalEmployees: 4,
    logs,
    timeZone: NY,
    shiftStart: '09:00',
    lateGraceMinutes: 10,
  });

  it('counts today', () => {
    expect(stats.presentToday).toBe(2);
    expect(stats.absentToday).toBe(2);
    expect(stats.attendanceRate).toBe(0.5);
    expect(stats.lateToday).toBe(1);
  });

  it('counts each day of the range, empty days included', () => {
    expect(stats.days).toEqual([
      { date: '2024-06-10', present: 3, logs: 4, attendanceRate: 0.75, late: 1 },
      { date: '2024-06-11', present: 0, logs: 0, attendanceRate: 0, late: 0 },
      { date: '2024-06-12', present: 2, logs: 2, attendanceRate: 0.5, late: 1 },
    ]);
  });

  it('averages confidence and sums lateness over the range only', () => {
    expect(stats.averageConfidence).toBeCloseTo(4.5 / 6, 12);
    expect(stats.totalLogs).toBe(6);
    expect(stats.lateArrivals).toBe(2);
  });

  it('leaves lateness null without a shift start, and copes with no employees or logs', () => {
    const empty = computeStats({
      today: '2024-06-12',
      from: '2024-06-12',
      to: '2024-06-12',
      totalEmployees: 0,
      logs: [],
      timeZone: NY,
      lateGraceMinutes: 0,
    });
    expect(empty).toMatchObject({ presentToday: 0, attendanceRate: 0, averageConfidence: null, lateArrivals: null });
    expect(empty.days[0]?.late).toBeNull();
  });
});

describe('logsToCsv', () => {
  it('writes the columns in order, local times with offset, quoting and formula-safe names', () => {
    const csv = logsToCsv(
      [
        {
          id: 7,
          employeeCode: 'E001',
          employeeName: 'Doe, Jane "JD"',
          eventType: 'check_in',
          checkInTime: new Date('2024-06-15T03:30:00Z'),
          localDate: '2024-06-14',
          confidenceScore: 0.875,
          recognitionMethod: 'svm',
          cameraName: 'Front door',
          voided: false,
        },
        {
          id: 8,
          employeeCode: 'E002',
          employeeName: '=HYPERLINK("x")',
          eventType: 'seen',
          checkInTime: new Date('2024-06-15T04:30:00Z'),
          localDate: '2024-06-15',
          confidenceScore: 1,
          recognitionMethod: 'manual',
          cameraName: null,
          voided: true,
        },
      ],
      NY,
    );
    const rows = parse(csv);
    expect(rows[0]).toEqual([...CSV_COLUMNS]);
    expect(rows[1]).toEqual([
      '7',
      'E001',
      'Doe, Jane "JD"',
      'check_in',
      '2024-06-14T23:30:00.000-04:00',
      '2024-06-14',
      '0.875',
      'svm',
      'Front door',
      'false',
    ]);
    expect(rows[2]).toEqual([
      '8',
      'E002',
      `'=HYPERLINK("x")`,
      'seen',
      '2024-06-15T00:30:00.000-04:00',
      '2024-06-15',
      '1',
      'manual',
      '',
      'true',
    ]);
    expect(csv.split('\n')[1]).toContain('"Doe, Jane ""JD"""');
  });
});
