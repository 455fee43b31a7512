// /enroll: a guided head turn with the browser camera (new person, or
// re-enrolling someone), or enrollment from photos.
import { useState, type FormEvent, type ReactElement } from 'react';
import { SelectField } from '../components/select-field';
import { Button, ErrorNotice, Field, Notice, PageHeader } from '../components/ui';
import { BeginEnrollmentDocument, EmployeeListDocument } from '../gql/graphql';
import { useMutation, useQuery } from '../lib/hooks';
import { useCan } from '../lib/session';
import { PhotoEnrollment } from './employees/photo-enrollment';
import { GuidedEnrollment, type Outcome } from './enroll/guided-enrollment';

type Mode = 'new' | 'existing' | 'photos';

export function EnrollPage(): ReactElement {
  const can = useCan();
  const mayReenroll = can('enrollment:write') && can('employees:read');
  const [mode, setMode] = useState<Mode>('new');
  const [sessionId, setSessionId] = useState<string>();
  const [outcome, setOutcome] = useState<Outcome>();

  const finish = (o: Outcome): void => {
    setSessionId(undefined);
    setOutcome(o);
  };

  if (sessionId !== undefined) {
    return (
      <>
        <PageHeader title="Enroll" description="Turn your head slowly in a circle until the ring is full." />
        <GuidedEnrollment sessionId={sessionId} onEnd={finish} />
      </>
    );
  }

  return (
    <>
      <PageHeader title="Enroll" description="Teach the cameras a face: a slow head turn in front of this device's camera, or a few photos." />
      {outcome?.kind === 'enrolled' ? (
        <Notice tone="success" title={`${outcome.name} is enrolled`}>
          {outcome.templates} face templates stored{outcome.created ? '; the employee was created' : ''}. The cameras recognize them from now on.
        </Notice>
      ) : null}
      {outcome?.kind === 'refused' ? (
        <Notice tone="error" title="Not enrolled">
          {outcome.message}
        </Notice>
      ) : null}
      {outcome?.kind === 'cancelled' ? <Notice>Enrollment cancelled; nothing was stored.</Notice> : null}
      {mayReenroll ? (
        <div className="row" role="radiogroup" aria-label="How to enroll" style={{ marginBottom: '1rem' }}>
          {(
            [
              ['new', 'New person, with the camera'],
              ['existing', 'Existing employee, with the camera'],
              ['photos', 'Existing employee, from photos'],
            ] as const
          ).map(([value, label]) => (
            <label key={value} className="checkbox">
              <input type="radio" name="mode" value={value} checked={mode === value} onChange={() => setMode(value)} /> {label}
            </label>
          ))}
        </div>
      ) : null}
      <div className="card" style={{ maxWidth: 640 }}>
        {mode === 'new' ? <NewPersonForm onStarted={(id) => { setOutcome(undefined); setSessionId(id); }} /> : null}
        {mode === 'existing' ? <ExistingPersonForm onStarted={(id) => { setOutcome(undefined); setSessionId(id); }} /> : null}
        {mode === 'photos' ? <PhotosForm onDone={(name, templates) => setOutcome({ kind: 'enrolled', name, templates, created: false })} /> : null}
      </div>
    </>
  );
}

function NewPersonForm({ onStarted }: { onStarted: (sessionId: string) => void }): ReactElement {
  const [code, setCode] = useState('');
  const [name, setName] = useState('');
  const [email, setEmail] = useState('');
  const [department, setDepartment] = useState('');
  const [errors, setErrors] = useState<Record<string, string>>({});
  const start = useMutation(BeginEnrollmentDocument);
  const submit = async (event: FormEvent): Promise<void> => {
    event.preventDefault();
    const local: Record<string, string> = {};
    if (code.trim() === '') {
      local.employeeCode = 'Enter an employee code.';
    }
    if (name.trim() === '') {
      local.fullName = 'Enter the full name.';
    }
    setErrors(local);
    if (Object.keys(local).length > 0) {
      return;
    }
    const employee = {
      employeeCode: code.trim(),
      fullName: name.trim(),
      ...(email.trim() === '' ? {} : { email: email.trim() }),
      ...(department.trim() === '' ? {} : { department: department.trim() }),
    };
    const r = (await start.run({ input: { employee } }))?.startEnrollment;
    if (r === undefined) {
      return;
    }
    if (r.__typename === 'EnrollmentSession') {
      onStarted(r.id);
    } else if (r.__typename === 'ValidationError') {
      setErrors(Object.fromEntries(r.issues.map((i) => [i.path.at(-1) ?? 'form', i.message])));
    } else if (r.__typename === 'DuplicateEmployeeCodeError') {
      setErrors({ employeeCode: r.message });
    } else {
      setErrors({ form: r.message });
    }
  };
  return (
    <form className="stack" onSubmit={(e) => void submit(e)} noValidate>
      <p className="muted">The employee is created when the face scan completes. Have them face this device's camera in good light.</p>
      <div className="form-grid">
        <Field label="Employee code" error={errors.employeeCode}>{(p) => <input {...p} value={code} onChange={(e) => setCode(e.target.value)} />}</Field>
        <Field label="Full name" error={errors.fullName}>{(p) => <input {...p} value={name} onChange={(e) => setName(e.target.value)} />}</Field>
        <Field label="E-mail" error={errors.email}>{(p) => <input {...p} type="email" value={email} onChange={(e) => setEmail(e.target.value)} />}</Field>
        <Field label="Department" error={errors.department}>{(p) => <input {...p} value={department} onChange={(e) => setDepartment(e.target.value)} />}</Field>
      </div>
      {errors.form === undefined ? null : <ErrorNotice error={new Error(errors.form)} />}
      <ErrorNotice error={start.error} />
      <StartScanButton busy={start.loading} />
    </form>
  );
}

function StartScanButton({ busy }: { busy: boolean }): ReactElement {
  return (
    <div>
      <Button type="submit" variant="primary" icon="enroll" busy={busy}>
        Start face scan
      </Button>
    </div>
  );
}

function EmployeePicker({ value, onChange }: { value: string; onChange: (id: string) => void }): ReactElement {
  const list = useQuery(EmployeeListDocument, { filter: { isActive: true }, take: 500 });
  const loading = list.loading && list.data === undefined;
  return (
    <>
      <SelectField
        label="Employee"
        value={value}
        onChange={onChange}
        disabled={loading}
        none={loading ? 'Loading…' : 'Choose…'}
        choices={(list.data?.employees.items ?? []).map((e) => ({ value: e.id, label: `${e.fullName} (${e.employeeCode})` }))}
      />
      <ErrorNotice error={list.error} onRetry={list.refetch} />
    </>
  );
}

function ExistingPersonForm({ onStarted }: { onStarted: (sessionId: string) => void }): ReactElement {
  const [employeeId, setEmployeeId] = useState('');
  const [problem, setProblem] = useState<string>();
  const start = useMutation(BeginEnrollmentDocument);
  const submit = async (event: FormEvent): Promise<void> => {
    event.preventDefault();
    if (employeeId === '') {
      setProblem('Choose the employee.');
      return;
    }
    const r = (await start.run({ input: { employeeId: Number(employeeId) } }))?.startEnrollment;
    if (r === undefined) {
      return;
    }
    if (r.__typename === 'EnrollmentSession') {
      onStarted(r.id);
    } else {
      setProblem(r.message);
    }
  };
  return (
    <form className="stack" onSubmit={(e) => void submit(e)}>
      <p className="muted">A new scan replaces the employee's stored face templates.</p>
      <EmployeePicker value={employeeId} onChange={setEmployeeId} />
      {problem === undefined ? null : <ErrorNotice error={new Error(problem)} />}
      <ErrorNotice error={start.error} />
      <StartScanButton busy={start.loading} />
    </form>
  );
}

function PhotosForm({ onDone }: { onDone: (name: string, templates: number) => void }): ReactElement {
  const [employeeId, setEmployeeId] = useState('');
  const list = useQuery(EmployeeListDocument, { filter: { isActive: true }, take: 500 });
  const employee = list.data?.employees.items.find((e) => String(e.id) === employeeId);
  return (
    <div className="stack">
      <EmployeePicker value={employeeId} onChange={setEmployeeId} />
      {employee === undefined ? null : <PhotoEnrollment key={employee.id} employee={employee} onDone={(updated) => onDone(updated.fullName, updated.templateCount)} />}
    </div>
  );
}
