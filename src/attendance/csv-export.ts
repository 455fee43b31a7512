// CSV of attendance logs, times in the configured zone with their offset so a
// spreadsheet shows local time and the file still pins the exact instant.
import { stringify } from 'csv-stringify/sync';
import { toZonedIso } from './local-time.js';
import type { AttendanceEventType } from './types.js';

export const CSV_COLUMNS = [
  'id',
  'employee_code',
  'employee_name',
  'event_type',
  'check_in_time',
  'local_date',
  'confidence_score',
  'recognition_method',
  'camera',
  'voided',
] as const;

export type CsvLogRow = {
  id: number;
  employeeCode: string;
  employeeName: string;
  eventType: AttendanceEventType;
  checkInTime: Date;
  localDate: string;
  confidenceScore: number;
  recognitionMethod: string;
  cameraName: string | null;
  voided: boolean;
};

// A cell starting with one of these is run as a formula by spreadsheets (CSV
// injection); OWASP's advice is to prefix a quote.
const FORMULA_START = /^[=+\-@\t\r]/;
const safeText = (s: string): string => (FORMULA_START.test(s) ? `'${s}` : s);

/** Header plus one line per row, CRLF-free (\n) and RFC 4180 quoting. */
export function logsToCsv(rows: readonly CsvLogRow[], timeZone: string): string {
  return stringify(
    rows.map((r) => [
      r.id,
      safeText(r.employeeCode),
      safeText(r.employeeName),
      r.eventType,
      toZonedIso(r.checkInTime, timeZone),
      r.localDate,
      r.confidenceScore,
      r.recognitionMethod,
      safeText(r.cameraName ?? ''),
      r.voided ? 'true' : 'false',
    ]),
    { header: true, columns: [...CSV_COLUMNS] },
  );
}
