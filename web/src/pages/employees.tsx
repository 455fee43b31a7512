// /employees: search and filter the list, create and edit, deactivate, erase
// (after confirmation), templates per person, and enrollment from photos.
import { useEffect, useState, type ReactElement } from 'react';
import { ConfirmDialog } from '../components/dialog';
import { ACTIONS_COLUMN, DataTable } from '../components/data-table';
import { Pager } from '../components/pager';
import { QueryView } from '../components/query-view';
import { Badge, Button, Empty, ErrorNotice, Field, Notice, PageHeader } from '../components/ui';
import { DeactivateEmployeeNowDocument, EmployeeListDocument, EraseEmployeeNowDocument, type EmployeeRowFragment } from '../gql/graphql';
import { formatDateTime } from '../lib/format';
import { useMutation, useQuery } from '../lib/hooks';
import { useCan } from '../lib/session';
import { EmployeeFormDialog } from './employees/employee-form';
import { PhotoEnrollmentDialog } from './employees/photo-enrollment';

const PAGE = 50;

type Action =
  | { kind: 'create' }
  | { kind: 'edit'; employee: EmployeeRowFragment }
  | { kind: 'deactivate'; employee: EmployeeRowFragment }
  | { kind: 'erase'; employee: EmployeeRowFragment }
  | { kind: 'photos'; employee: EmployeeRowFragment }
  | null;

function useDebounced(value: string, ms: number): string {
  const [debounced, setDebounced] = useState(value);
  useEffect(() => {
    const timer = setTimeout(() => setDebounced(value), ms);
    return () => clearTimeout(timer);
  }, [value, ms]);
  return debounced;
}

export function EmployeesPage(): ReactElement {
  const can = useCan();
  const [search, setSearch] = useState('');
  const [status, setStatus] = useState<'active' | 'inactive' | 'all'>('active');
  const [department, setDepartment] = useState('');
  const [skip, setSkip] = useState(0);
  const [action, setAction] = useState<Action>(null);
  const [done, setDone] = useState<string>();
  const [eraseConfirm, setEraseConfirm] = useState('');
  const term = useDebounced(search.trim(), 250);
  const dept = useDebounced(department.trim(), 250);

  const list = useQuery(EmployeeListDocument, {
    filter: {
      ...(term === '' ? {} : { search: term }),
      ...(dept === '' ? {} : { department: dept }),
      ...(status === 'all' ? {} : { isActive: status === 'active' }),
    },
    skip,
    take: PAGE,
  });
  const deactivate = useMutation(DeactivateEmployeeNowDocument);
  const erase = useMutation(EraseEmployeeNowDocument);

  const finish = (message: string): void => {
    setAction(null);
    setDone(message);
    list.refetch();
  };

  const writable = can('employees:write');
  return (
    <>
      <PageHeader
        title="Employees"
        description="The people the cameras can recognize."
        actions={
          writable ? (
            <Button variant="primary" icon="plus" onClick={() => setAction({ kind: 'create' })}>
              New employee
            </Button>
          ) : undefined
        }
      />
      {done === undefined ? null : <Notice tone="success">{done}</Notice>}
      <form className="filters" role="search" onSubmit={(e) => e.preventDefault()}>
        <Field label="Search">
          {(p) => <input {...p} type="search" placeholder="Name, code or e-mail" value={search} onChange={(e) => { setSearch(e.target.value); setSkip(0); }} />}
        </Field>
        <Field label="Department">{(p) => <input {...p} value={department} onChange={(e) => { setDepartment(e.target.value); setSkip(0); }} />}</Field>
        <Field label="Status">
          {(p) => (
            <select {...p} value={status} onChange={(e) => { setStatus(e.target.value as typeof status); setSkip(0); }}>
              <option value="active">Active</option>
              <option value="inactive">Inactive</option>
              <option value="all">All</option>
            </select>
          )}
        </Field>
      </form>
      <QueryView query={list} data={list.data?.employees} what="employees">
        {(page) => (
          <>
            <DataTable
              label="Employees"
              columns={['Name', 'Code', 'Department', 'Templates', 'Last seen', 'Status', ...(writable ? [ACTIONS_COLUMN] : [])]}
              empty={page.items.length === 0 ? <Empty icon="employees" title={term === '' ? 'No employees yet' : `Nobody matches “${term}”`} /> : undefined}
            >
              {page.items.map((e) => (
                <tr key={e.id}>
                  <td>
                    <div style={{ fontWeight: 500 }}>{e.fullName}</div>
                    {e.email === null ? null : <div className="muted small">{e.email}</div>}
                  </td>
                  <td className="nowrap">{e.employeeCode}</td>
                  <td>{e.department ?? '—'}</td>
                  <td>{e.templateCount === 0 ? <Badge tone="warn">none</Badge> : e.templateCount}</td>
                  <td>{formatDateTime(e.lastSeenAt)}</td>
                  <td>{e.erasedAt !== null ? <Badge tone="bad">erased</Badge> : e.isActive ? <Badge tone="good">active</Badge> : <Badge>inactive</Badge>}</td>
                  {writable ? (
                    <td className="actions">
                      {e.erasedAt === null ? (
                        <>
                          <Button variant="ghost" iconOnly icon="edit" onClick={() => setAction({ kind: 'edit', employee: e })} aria-label={`Edit ${e.fullName}`}>
                            Edit
                          </Button>
                          {can('enrollment:write') ? (
                            <Button variant="ghost" iconOnly icon="photo" onClick={() => setAction({ kind: 'photos', employee: e })} aria-label={`Enroll ${e.fullName} from photos`}>
                              Enroll from photos
                            </Button>
                          ) : null}
                          {e.isActive ? (
                            <Button variant="ghost" iconOnly icon="pause" onClick={() => setAction({ kind: 'deactivate', employee: e })} aria-label={`Deactivate ${e.fullName}`}>
                              Deactivate
                            </Button>
                          ) : null}
                          {can('employees:erase') ? (
                            <Button variant="ghost" iconOnly icon="trash" onClick={() => { setEraseConfirm(''); setAction({ kind: 'erase', employee: e }); }} aria-label={`Erase ${e.fullName}`}>
                              Erase
                            </Button>
                          ) : null}
                        </>
                      ) : null}
                    </td>
                  ) : null}
                </tr>
              ))}
            </DataTable>
            <Pager skip={skip} pageSize={PAGE} totalCount={page.totalCount} onSkip={setSkip} />
          </>
        )}
      </QueryView>

      {action?.kind === 'create' || action?.kind === 'edit' ? (
        <EmployeeFormDialog
          employee={action.kind === 'edit' ? action.employee : undefined}
          onClose={() => setAction(null)}
          onSaved={(saved, created) => finish(created ? `${saved.fullName} was added. Enroll their face next.` : `${saved.fullName} was saved.`)}
        />
      ) : null}
      {action?.kind === 'photos' ? <PhotoEnrollmentDialog employee={action.employee} onClose={() => setAction(null)} onDone={(_, message) => finish(message)} /> : null}
      {action?.kind === 'deactivate' ? (
        <ConfirmDialog
          open
          title={`Deactivate ${action.employee.fullName}?`}
          confirmLabel="Deactivate"
          busy={deactivate.loading}
          onClose={() => setAction(null)}
          onConfirm={() =>
            void deactivate.run({ id: action.employee.id }).then((r) => r?.deactivateEmployee.__typename === 'Employee' && finish(`${action.employee.fullName} was deactivated.`))
          }
        >
          <p>They will no longer be recognized or counted as absent. Their data stays and they can be made active again.</p>
          <ErrorNotice error={deactivate.error} />
        </ConfirmDialog>
      ) : null}
      {action?.kind === 'erase' ? (
        <ConfirmDialog
          open
          title={`Erase ${action.employee.fullName}?`}
          confirmLabel="Erase permanently"
          danger
          busy={erase.loading}
          onClose={() => setAction(null)}
          onConfirm={() => {
            if (eraseConfirm.trim() !== action.employee.employeeCode) {
              return;
            }
            void erase.run({ id: action.employee.id, reason: 'Erased from the web app' }).then((r) => r?.eraseEmployee.__typename === 'Employee' && finish(`${action.employee.fullName} was erased.`));
          }}
        >
          <Notice tone="warning" title="This cannot be undone">
            Face templates and snapshots are deleted and personal data is blanked. Attendance history stays, without the name.
          </Notice>
          <Field label={`Type the employee code (${action.employee.employeeCode}) to confirm`} error={eraseConfirm !== '' && eraseConfirm.trim() !== action.employee.employeeCode ? 'The code does not match.' : undefined}>
            {(p) => <input {...p} value={eraseConfirm} onChange={(e) => setEraseConfirm(e.target.value)} autoComplete="off" />}
          </Field>
          <ErrorNotice error={erase.error} />
        </ConfirmDialog>
      ) : null}
    </>
  );
}
