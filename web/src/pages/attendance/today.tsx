// Today at a glance: the counts, then who checked in (and when) and who has
// not come in yet.
import type { ReactElement } from 'react';
import { DataTable } from '../../components/data-table';
import { Badge, Empty, Stat } from '../../components/ui';
import type { EmployeeRowFragment, LogRowFragment } from '../../gql/graphql';
import { formatPercent, formatTime } from '../../lib/format';

export interface TodayFigures {
  totalEmployees: number;
  presentToday: number;
  absentToday: number;
  lateToday: number | null;
  attendanceRate: number;
}

export function TodayStats({ figures }: { figures: TodayFigures }): ReactElement {
  return (
    <div className="stats">
      <Stat label="Present" value={figures.presentToday} tone="good" detail={`${formatPercent(figures.attendanceRate)} of ${figures.totalEmployees}`} />
      <Stat label="Absent" value={figures.absentToday} tone={figures.absentToday > 0 ? 'bad' : 'neutral'} />
      <Stat label="Late" value={figures.lateToday ?? '—'} tone={(figures.lateToday ?? 0) > 0 ? 'warn' : 'neutral'} detail={figures.lateToday === null ? 'No shift start set' : undefined} />
      <Stat label="Employees" value={figures.totalEmployees} />
    </div>
  );
}

export function TodayLists({ logs, employees }: { logs: readonly LogRowFragment[]; employees: readonly EmployeeRowFragment[] | undefined }): ReactElement {
  // The day's first log per person is their check-in; logs come newest first.
  const firstSeen = new Map<number, LogRowFragment>();
  for (const log of logs) {
    if (log.voidedAt === null) {
      firstSeen.set(log.employeeId, log);
    }
  }
  const present = [...firstSeen.values()].sort((a, b) => a.checkInTime.localeCompare(b.checkInTime));
  const absent = (employees ?? []).filter((e) => e.isActive && !firstSeen.has(e.id));
  return (
    <div className="form-grid" style={{ alignItems: 'start', gridTemplateColumns: 'repeat(auto-fit, minmax(280px, 1fr))' }}>
      <DataTable
        label="Present today"
        columns={['Present', 'Checked in']}
        empty={present.length === 0 ? <Empty icon="attendance" title="No check-ins yet today" /> : undefined}
      >
        {present.map((log) => (
          <tr key={log.employeeId}>
            <td>{log.employee?.fullName ?? `Employee ${log.employeeId}`}</td>
            <td>
              {formatTime(log.checkInTime)} {log.recognitionMethod === 'manual' ? <Badge>manual</Badge> : null}
            </td>
          </tr>
        ))}
      </DataTable>
      <DataTable
        label="Not in yet"
        columns={['Not in yet', 'Code']}
        empty={
          employees === undefined ? (
            <span className="muted">Employee list not available for this key.</span>
          ) : absent.length === 0 ? (
            <Empty icon="check" title="Everyone is in" />
          ) : undefined
        }
      >
        {absent.map((e) => (
          <tr key={e.id}>
            <td>{e.fullName}</td>
            <td className="muted">{e.employeeCode}</td>
          </tr>
        ))}
      </DataTable>
    </div>
  );
}
