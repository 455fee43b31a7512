// /attendance: today at a glance, the last two weeks per day, the logs with
// filters and CSV export, and (admins) corrections with their audit trail.
import { useState, type ReactElement } from 'react';
import { QueryView } from '../components/query-view';
import { Button, Notice, PageHeader } from '../components/ui';
import { AttendanceFeedDocument, AttendanceOverviewDocument, CameraListDocument, EmployeeListDocument } from '../gql/graphql';
import { daysAgo, isoDay } from '../lib/format';
import { useQuery, useSubscription } from '../lib/hooks';
import { useCan } from '../lib/session';
import { AuditTrail } from './attendance/audit-trail';
import { CorrectionDialogs, type Correction } from './attendance/corrections';
import { DayChart } from './attendance/day-chart';
import { LogTable } from './attendance/log-table';
import { TodayLists, TodayStats } from './attendance/today';

export function AttendancePage(): ReactElement {
  const can = useCan();
  const overview = useQuery(AttendanceOverviewDocument, { from: daysAgo(13) });
  const employees = useQuery(EmployeeListDocument, { take: 500 }, { skip: !can('employees:read') });
  const cameras = useQuery(CameraListDocument, {}, { skip: !can('cameras:read') });
  const [correction, setCorrection] = useState<Correction>(null);
  const [done, setDone] = useState<string>();
  const [reloadKey, setReloadKey] = useState(0);

  // New check-ins refresh the overview while the page is open.
  useSubscription(AttendanceFeedDocument, {}, () => overview.refetch());

  const stats = overview.data?.attendanceStats.__typename === 'AttendanceStats' ? overview.data.attendanceStats : undefined;
  const people = (employees.data?.employees.items ?? []).filter((e) => e.erasedAt === null).map((e) => ({ id: e.id, fullName: e.fullName }));
  const cameraList = (cameras.data?.cameras ?? []).map((c) => ({ id: c.id, name: c.name }));
  const today = stats?.today ?? isoDay(new Date());
  const corrections = can('attendance:correct');

  const finished = (message: string): void => {
    setCorrection(null);
    setDone(message);
    setReloadKey((k) => k + 1);
    overview.refetch();
  };

  return (
    <>
      <PageHeader
        title="Attendance"
        description="Who is in today, the days before, and every log."
        actions={
          corrections ? (
            <Button icon="plus" onClick={() => setCorrection({ kind: 'add' })}>
              Add manual log
            </Button>
          ) : undefined
        }
      />
      {done === undefined ? null : <Notice tone="success">{done}</Notice>}
      <QueryView query={overview} data={stats} what="today's attendance">
        {(stats) => (
          <>
            <section aria-labelledby="today-title">
              <h2 id="today-title" className="visually-hidden">
                Today
              </h2>
              <TodayStats figures={stats} />
            </section>
            <section className="section" aria-labelledby="lists-title">
              <h2 id="lists-title">Today, {today}</h2>
              <TodayLists logs={overview.data?.attendanceToday.items ?? []} employees={employees.data?.employees.items} />
            </section>
            <section className="section card" aria-labelledby="chart-title">
              <h2 id="chart-title" style={{ marginBottom: '0.75rem' }}>
                Present per day
              </h2>
              <DayChart days={stats.days} total={stats.totalEmployees} />
            </section>
          </>
        )}
      </QueryView>
      <section className="section" aria-labelledby="logs-title">
        <h2 id="logs-title">Logs</h2>
        <LogTable
          initial={{ from: daysAgo(6, new Date(`${today}T12:00:00`)), to: today, employeeId: '', cameraId: '', method: '', includeVoided: false }}
          people={people}
          cameras={cameraList}
          onEdit={corrections ? (log) => setCorrection({ kind: 'edit', log }) : undefined}
          onVoid={corrections ? (log) => setCorrection({ kind: 'void', log }) : undefined}
          reloadKey={reloadKey}
        />
      </section>
      {corrections ? (
        <section className="section" aria-labelledby="audit-title">
          <h2 id="audit-title">Corrections audit trail</h2>
          <AuditTrail reloadKey={reloadKey} />
        </section>
      ) : null}
      <CorrectionDialogs correction={correction} people={people} onClose={() => setCorrection(null)} onDone={finished} />
    </>
  );
}
