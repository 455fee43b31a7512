// Admin corrections: add a manual log, move a log's time, void a log. Each
// needs a reason, which the server keeps in the audit trail with the row
// before and after.
import { useState, type FormEvent, type ReactElement } from 'react';
import { ConfirmDialog, Dialog, DialogActions } from '../../components/dialog';
import { SelectField } from '../../components/select-field';
import { ErrorNotice, Field, Notice } from '../../components/ui';
import { AddLogDocument, EditLogDocument, VoidLogDocument, type LogRowFragment } from '../../gql/graphql';
import { formatDateTime, fromLocalInput, toLocalInput } from '../../lib/format';
import { useMutation } from '../../lib/hooks';

export type Correction = { kind: 'add' } | { kind: 'edit'; log: LogRowFragment } | { kind: 'void'; log: LogRowFragment } | null;

export function CorrectionDialogs({
  correction,
  people,
  onClose,
  onDone,
}: {
  correction: Correction;
  people: readonly { id: number; fullName: string }[];
  onClose: () => void;
  onDone: (message: string) => void;
}): ReactElement {
  return (
    <>
      <AddDialog open={correction?.kind === 'add'} people={people} onClose={onClose} onDone={onDone} />
      {correction?.kind === 'edit' ? <EditDialog log={correction.log} onClose={onClose} onDone={onDone} /> : null}
      {correction?.kind === 'void' ? <VoidDialog log={correction.log} onClose={onClose} onDone={onDone} /> : null}
    </>
  );
}

function ReasonField({ value, onChange, error }: { value: string; onChange: (v: string) => void; error?: string | undefined }): ReactElement {
  return (
    <Field label="Reason" hint="Kept in the audit trail." error={error}>
      {(p) => <textarea {...p} required value={value} onChange={(e) => onChange(e.target.value)} maxLength={500} />}
    </Field>
  );
}

function AddDialog({ open, people, onClose, onDone }: { open: boolean; people: readonly { id: number; fullName: string }[]; onClose: () => void; onDone: (m: string) => void }): ReactElement {
  const [employeeId, setEmployeeId] = useState('');
  const [at, setAt] = useState(() => toLocalInput(new Date().toISOString()));
  const [reason, setReason] = useState('');
  const [problem, setProblem] = useState<string>();
  const add = useMutation(AddLogDocument);
  const submit = async (event: FormEvent): Promise<void> => {
    event.preventDefault();
    if (employeeId === '' || reason.trim() === '') {
      setProblem('Choose a person and give a reason.');
      return;
    }
    const result = await add.run({ input: { employeeId: Number(employeeId), at: fromLocalInput(at), reason: reason.trim() } });
    if (result === undefined) {
      return;
    }
    if (result.addAttendanceLog.__typename !== 'AttendanceLog') {
      setProblem(result.addAttendanceLog.message);
      return;
    }
    setReason('');
    setProblem(undefined);
    onDone(`Added a manual log for ${result.addAttendanceLog.employee?.fullName ?? 'the employee'}.`);
  };
  return (
    <Dialog open={open} title="Add a manual log" onClose={onClose}>
      <form className="stack" onSubmit={(e) => void submit(e)}>
        <SelectField label="Person" required value={employeeId} onChange={setEmployeeId} none="Choose…" choices={people.map((e) => ({ value: e.id, label: e.fullName }))} />
        <Field label="Time">{(p) => <input {...p} type="datetime-local" required value={at} onChange={(e) => setAt(e.target.value)} />}</Field>
        <ReasonField value={reason} onChange={setReason} error={problem} />
        <ErrorNotice error={add.error} />
        <DialogActions onCancel={onClose} submitLabel="Add log" busy={add.loading} />
      </form>
    </Dialog>
  );
}

function EditDialog({ log, onClose, onDone }: { log: LogRowFragment; onClose: () => void; onDone: (m: string) => void }): ReactElement {
  const [at, setAt] = useState(() => toLocalInput(log.checkInTime));
  const [reason, setReason] = useState('');
  const [problem, setProblem] = useState<string>();
  const edit = useMutation(EditLogDocument);
  const submit = async (event: FormEvent): Promise<void> => {
    event.preventDefault();
    if (reason.trim() === '') {
      setProblem('Give a reason.');
      return;
    }
    const result = await edit.run({ id: log.id, input: { at: fromLocalInput(at), reason: reason.trim() } });
    if (result === undefined) {
      return;
    }
    if (result.editAttendanceLog.__typename !== 'AttendanceLog') {
      setProblem(result.editAttendanceLog.message);
      return;
    }
    onDone(`Moved the log of ${log.employee?.fullName ?? 'the employee'} to ${formatDateTime(result.editAttendanceLog.checkInTime)}.`);
  };
  return (
    <Dialog open title={`Edit log of ${log.employee?.fullName ?? `employee ${log.employeeId}`}`} onClose={onClose}>
      <form className="stack" onSubmit={(e) => void submit(e)}>
        <p className="muted">Now: {formatDateTime(log.checkInTime)}</p>
        <Field label="Time">{(p) => <input {...p} type="datetime-local" required value={at} onChange={(e) => setAt(e.target.value)} />}</Field>
        <ReasonField value={reason} onChange={setReason} error={problem} />
        <ErrorNotice error={edit.error} />
        <DialogActions onCancel={onClose} submitLabel="Save" busy={edit.loading} />
      </form>
    </Dialog>
  );
}

function VoidDialog({ log, onClose, onDone }: { log: LogRowFragment; onClose: () => void; onDone: (m: string) => void }): ReactElement {
  const [reason, setReason] = useState('');
  const [problem, setProblem] = useState<string>();
  const voidLog = useMutation(VoidLogDocument);
  const confirm = async (): Promise<void> => {
    if (reason.trim() === '') {
      setProblem('Give a reason.');
      return;
    }
    const result = await voidLog.run({ id: log.id, reason: reason.trim() });
    if (result === undefined) {
      return;
    }
    if (result.voidAttendanceLog.__typename !== 'AttendanceLog') {
      setProblem(result.voidAttendanceLog.message);
      return;
    }
    onDone(`Voided the log of ${log.employee?.fullName ?? 'the employee'} at ${formatDateTime(log.checkInTime)}.`);
  };
  return (
    <ConfirmDialog open title="Void this log?" confirmLabel="Void log" danger busy={voidLog.loading} onConfirm={() => void confirm()} onClose={onClose}>
      <Notice tone="warning">
        {log.employee?.fullName ?? `Employee ${log.employeeId}`}, {formatDateTime(log.checkInTime)}. The log stays in the history but leaves lists and statistics.
      </Notice>
      <ReasonField value={reason} onChange={setReason} error={problem} />
      <ErrorNotice error={voidLog.error} />
    </ConfirmDialog>
  );
}
