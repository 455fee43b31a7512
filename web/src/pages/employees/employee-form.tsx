// Create or edit an employee: code, name, e-mail, department, active.
import { useState, type FormEvent, type ReactElement } from 'react';
import { Dialog, DialogActions } from '../../components/dialog';
import { ErrorNotice, Field } from '../../components/ui';
import { AddEmployeeDocument, EditEmployeeDocument, type EmployeeRowFragment } from '../../gql/graphql';
import { useMutation } from '../../lib/hooks';

interface Draft {
  employeeCode: string;
  fullName: string;
  email: string;
  department: string;
  isActive: boolean;
}

const blank: Draft = { employeeCode: '', fullName: '', email: '', department: '', isActive: true };

export function EmployeeFormDialog({
  employee,
  onClose,
  onSaved,
}: {
  /** undefined: a new employee. */
  employee: EmployeeRowFragment | undefined;
  onClose: () => void;
  onSaved: (saved: EmployeeRowFragment, created: boolean) => void;
}): ReactElement {
  const [draft, setDraft] = useState<Draft>(() =>
    employee === undefined
      ? blank
      : { employeeCode: employee.employeeCode, fullName: employee.fullName, email: employee.email ?? '', department: employee.department ?? '', isActive: employee.isActive },
  );
  const [errors, setErrors] = useState<Partial<Record<keyof Draft | 'form', string>>>({});
  const create = useMutation(AddEmployeeDocument);
  const update = useMutation(EditEmployeeDocument);
  const set = <K extends keyof Draft>(key: K, value: Draft[K]): void => setDraft((d) => ({ ...d, [key]: value }));

  const submit = async (event: FormEvent): Promise<void> => {
    event.preventDefault();
    const local: typeof errors = {};
    if (draft.employeeCode.trim() === '') {
      local.employeeCode = 'Enter an employee code.';
    }
    if (draft.fullName.trim() === '') {
      local.fullName = 'Enter the full name.';
    }
    setErrors(local);
    if (Object.keys(local).length > 0) {
      return;
    }
    const input = {
      employeeCode: draft.employeeCode.trim(),
      fullName: draft.fullName.trim(),
      email: draft.email.trim() === '' ? null : draft.email.trim(),
      department: draft.department.trim() === '' ? null : draft.department.trim(),
      isActive: draft.isActive,
    };
    const result =
      employee === undefined
        ? (await create.run({ input }))?.createEmployee
        : (await update.run({ id: employee.id, input }))?.updateEmployee;
    if (result === undefined) {
      return;
    }
    if (result.__typename === 'Employee') {
      onSaved(result, employee === undefined);
    } else if (result.__typename === 'ValidationError') {
      setErrors(Object.fromEntries(result.issues.map((i) => [i.path[0] ?? 'form', i.message])));
    } else if (result.__typename === 'DuplicateEmployeeCodeError') {
      setErrors({ employeeCode: result.message });
    } else {
      setErrors({ form: result.message });
    }
  };

  const busy = create.loading || update.loading;
  return (
    <Dialog open title={employee === undefined ? 'New employee' : `Edit ${employee.fullName}`} onClose={onClose}>
      <form className="stack" onSubmit={(e) => void submit(e)} noValidate>
        <Field label="Employee code" error={errors.employeeCode}>
          {(p) => <input {...p} required value={draft.employeeCode} onChange={(e) => set('employeeCode', e.target.value)} autoFocus />}
        </Field>
        <Field label="Full name" error={errors.fullName}>
          {(p) => <input {...p} required value={draft.fullName} onChange={(e) => set('fullName', e.target.value)} />}
        </Field>
        <Field label="E-mail" error={errors.email}>
          {(p) => <input {...p} type="email" value={draft.email} onChange={(e) => set('email', e.target.value)} />}
        </Field>
        <Field label="Department" error={errors.department}>
          {(p) => <input {...p} value={draft.department} onChange={(e) => set('department', e.target.value)} />}
        </Field>
        <label className="checkbox">
          <input type="checkbox" checked={draft.isActive} onChange={(e) => set('isActive', e.target.checked)} /> Active
        </label>
        {errors.form === undefined ? null : <ErrorNotice error={new Error(errors.form)} />}
        <ErrorNotice error={create.error ?? update.error} />
        <DialogActions onCancel={onClose} submitLabel={employee === undefined ? 'Create employee' : 'Save changes'} busy={busy} />
      </form>
    </Dialog>
  );
}
