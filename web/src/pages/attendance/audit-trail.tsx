// The audit trail of attendance corrections (GET /api/v1/attendance/audit):
// who changed which log, when, why, and the time before and after.
import { useEffect, useState, type ReactElement } from 'react';
import { DataTable } from '../../components/data-table';
import { Empty, ErrorNotice, Loading } from '../../components/ui';
import { formatDateTime } from '../../lib/format';

interface AuditEntry {
  id: number;
  log_id: number;
  actor: string;
  action: string;
  reason: string | null;
  before: { checkInTime?: string } | null;
  after: { checkInTime?: string; voidedAt?: string | null } | null;
  at: string;
}

const actionLabel: Record<string, string> = { 'attendance.add': 'Added', 'attendance.edit': 'Edited', 'attendance.void': 'Voided' };

/** "api-key:3:Front desk" -> "Front desk". */
const actorName = (actor: string): string => actor.split(':').slice(2).join(':') || actor;

function change(entry: AuditEntry): string {
  const before = entry.before?.checkInTime;
  const after = entry.after?.checkInTime;
  if (entry.action === 'attendance.edit' && before !== undefined && after !== undefined && before !== after) {
    return `${formatDateTime(before)} → ${formatDateTime(after)}`;
  }
  return after === undefined ? '' : formatDateTime(after);
}

export function AuditTrail({ reloadKey }: { reloadKey: number }): ReactElement {
  const [entries, setEntries] = useState<AuditEntry[]>();
  const [error, setError] = useState<Error>();
  useEffect(() => {
    const controller = new AbortController();
    fetch('/api/v1/attendance/audit?limit=20', { credentials: 'same-origin', signal: controller.signal })
      .then(async (r) => {
        if (!r.ok) {
          throw new Error(`The audit trail could not be read (${r.status}).`);
        }
        setEntries((await r.json()) as AuditEntry[]);
        setError(undefined);
      })
      .catch((e: unknown) => {
        if (!controller.signal.aborted) {
          setError(e instanceof Error ? e : new Error(String(e)));
        }
      });
    return () => controller.abort();
  }, [reloadKey]);
  if (error !== undefined) {
    return <ErrorNotice error={error} />;
  }
  if (entries === undefined) {
    return <Loading what="the audit trail" />;
  }
  if (entries.length === 0) {
    return <Empty icon="info" title="No corrections yet" />;
  }
  return (
    <DataTable label="Audit trail" columns={['When', 'Who', 'Change', 'Log', 'Reason']}>
      {entries.map((e) => (
        <tr key={e.id}>
          <td>{formatDateTime(e.at)}</td>
          <td>{actorName(e.actor)}</td>
          <td>
            {actionLabel[e.action] ?? e.action} <span className="muted">{change(e)}</span>
          </td>
          <td>#{e.log_id}</td>
          <td>{e.reason ?? '—'}</td>
        </tr>
      ))}
    </DataTable>
  );
}
