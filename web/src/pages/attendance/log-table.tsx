// The attendance logs with filters (date range, person, camera, method), paging,
// CSV export of the range, and, for admins, the correction actions per row.
import { useEffect, useState, type ReactElement } from 'react';
import { DataTable } from '../../components/data-table';
import { Pager } from '../../components/pager';
import { QueryView } from '../../components/query-view';
import { SelectField } from '../../components/select-field';
import { Button, Empty, ErrorNotice, Field, Badge } from '../../components/ui';
import {
  AttendanceCsvExportDocument,
  AttendanceLogListDocument,
  type AttendanceMethod,
  type LogRowFragment,
} from '../../gql/graphql';
import { eventLabel, formatDateTime, methodLabel } from '../../lib/format';
import { gqlRequest } from '../../lib/graphql';
import { useQuery } from '../../lib/hooks';
import { downloadText } from '../../lib/media';

export interface LogFilters {
  from: string;
  to: string;
  employeeId: string;
  cameraId: string;
  method: '' | AttendanceMethod;
  includeVoided: boolean;
}

const PAGE = 25;

export function LogTable({
  initial,
  people,
  cameras,
  onEdit,
  onVoid,
  reloadKey,
}: {
  initial: LogFilters;
  people: readonly { id: number; fullName: string }[];
  cameras: readonly { id: number; name: string }[];
  onEdit?: ((log: LogRowFragment) => void) | undefined;
  onVoid?: ((log: LogRowFragment) => void) | undefined;
  reloadKey: number;
}): ReactElement {
  const [filters, setFilters] = useState(initial);
  const [skip, setSkip] = useState(0);
  const [exporting, setExporting] = useState(false);
  const [exportError, setExportError] = useState<Error>();
  const set = <K extends keyof LogFilters>(key: K, value: LogFilters[K]): void => {
    setFilters((f) => ({ ...f, [key]: value }));
    setSkip(0);
  };
  const logs = useQuery(
    AttendanceLogListDocument,
    {
      filter: {
        ...(filters.from === '' ? {} : { from: filters.from }),
        ...(filters.to === '' ? {} : { to: filters.to }),
        ...(filters.employeeId === '' ? {} : { employeeId: Number(filters.employeeId) }),
        ...(filters.cameraId === '' ? {} : { cameraId: Number(filters.cameraId) }),
        ...(filters.method === '' ? {} : { method: filters.method }),
        includeVoided: filters.includeVoided,
      },
      skip,
      take: PAGE,
    },
  );
  // Bumped by the page after a correction, so the table reads the change.
  const { refetch } = logs;
  useEffect(() => {
    if (reloadKey > 0) {
      refetch();
    }
  }, [reloadKey, refetch]);

  const exportCsv = async (): Promise<void> => {
    setExporting(true);
    setExportError(undefined);
    try {
      const result = await gqlRequest(AttendanceCsvExportDocument, {
        from: filters.from,
        to: filters.to,
        ...(filters.employeeId === '' ? {} : { employeeId: Number(filters.employeeId) }),
      });
      if (result.attendanceCsv.__typename === 'ValidationError') {
        throw new Error(result.attendanceCsv.message);
      }
      downloadText(`attendance_${filters.from}_${filters.to}.csv`, result.attendanceCsv.data);
    } catch (e) {
      setExportError(e instanceof Error ? e : new Error(String(e)));
    } finally {
      setExporting(false);
    }
  };

  const page = logs.data?.attendanceLogs.__typename === 'AttendanceLogPage' ? logs.data.attendanceLogs : undefined;
  const invalid = logs.data?.attendanceLogs.__typename === 'ValidationError' ? logs.data.attendanceLogs.message : undefined;
  return (
    <div>
      <form className="filters" onSubmit={(e) => e.preventDefault()} aria-label="Log filters">
        <Field label="From">{(p) => <input {...p} type="date" value={filters.from} onChange={(e) => set('from', e.target.value)} />}</Field>
        <Field label="To">{(p) => <input {...p} type="date" value={filters.to} onChange={(e) => set('to', e.target.value)} />}</Field>
        <SelectField label="Person" value={filters.employeeId} onChange={(v) => set('employeeId', v)} none="Everyone" choices={people.map((e) => ({ value: e.id, label: e.fullName }))} />
        <SelectField label="Camera" value={filters.cameraId} onChange={(v) => set('cameraId', v)} none="Any camera" choices={cameras.map((c) => ({ value: c.id, label: c.name }))} />
        <Field label="Method">
          {(p) => (
            <select {...p} value={filters.method} onChange={(e) => set('method', e.target.value as LogFilters['method'])}>
              <option value="">Any method</option>
              <option value="svm">Classifier</option>
              <option value="cosine">Similarity</option>
              <option value="manual">Manual</option>
            </select>
          )}
        </Field>
        <label className="checkbox">
          <input type="checkbox" checked={filters.includeVoided} onChange={(e) => set('includeVoided', e.target.checked)} /> Show voided
        </label>
        <Button icon="download" onClick={() => void exportCsv()} busy={exporting} disabled={filters.from === '' || filters.to === ''}>
          Export CSV
        </Button>
      </form>
      <ErrorNotice error={exportError} />
      {invalid === undefined ? null : <ErrorNotice error={new Error(invalid)} />}
      <QueryView query={logs} data={page} what="logs">
        {(page) => (
          <>
            <DataTable
              label="Attendance logs"
              columns={['Person', 'Time', 'Event', 'Camera', 'Method', 'Confidence', ...(onEdit === undefined ? [] : [{ label: 'Corrections', hidden: true } as const])]}
              empty={page.items.length === 0 ? <Empty icon="attendance" title="No logs match these filters" /> : undefined}
            >
              {page.items.map((log) => (
                <tr key={log.id} className={log.voidedAt === null ? '' : 'voided'}>
                  <td>{log.employee?.fullName ?? `Employee ${log.employeeId}`}</td>
                  <td>{formatDateTime(log.checkInTime)}</td>
                  <td>{eventLabel[log.eventType] ?? log.eventType}</td>
                  <td>{log.cameraId === null ? '—' : (cameras.find((c) => c.id === log.cameraId)?.name ?? `#${log.cameraId}`)}</td>
                  <td>{log.recognitionMethod === 'manual' ? <Badge>Manual</Badge> : methodLabel[log.recognitionMethod]}</td>
                  <td>{log.recognitionMethod === 'manual' ? '—' : `${Math.round(log.confidenceScore * 100)}%`}</td>
                  {onEdit === undefined ? null : (
                    <td className="actions">
                      {log.voidedAt === null ? (
                        <>
                          <Button variant="ghost" iconOnly icon="edit" onClick={() => onEdit(log)} aria-label={`Edit log ${log.id}`}>
                            Edit
                          </Button>
                          <Button variant="ghost" iconOnly icon="trash" onClick={() => onVoid?.(log)} aria-label={`Void log ${log.id}`}>
                            Void
                          </Button>
                        </>
                      ) : (
                        <span className="muted small" title={log.voidReason ?? ''}>
                          voided
                        </span>
                      )}
                    </td>
                  )}
                </tr>
              ))}
            </DataTable>
            <Pager skip={skip} pageSize={PAGE} totalCount={page.totalCount} onSkip={setSkip} none="No logs" />
          </>
        )}
      </QueryView>
    </div>
  );
}
