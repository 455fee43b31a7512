// Enroll an existing employee from photos (one face each): each photo's verdict
// comes back, and the employee's templates are replaced only if all pass.
import { useState, type FormEvent, type ReactElement } from 'react';
import { Dialog } from '../../components/dialog';
import { Button, ErrorNotice, Field, Notice } from '../../components/ui';
import { EnrollPhotosDocument, type EmployeeRowFragment } from '../../gql/graphql';
import { useMutation } from '../../lib/hooks';
import { blobToBase64 } from '../../lib/media';

export function PhotoEnrollment({ employee, onDone }: { employee: { id: number; fullName: string }; onDone: (updated: EmployeeRowFragment, message: string) => void }): ReactElement {
  const [files, setFiles] = useState<File[]>([]);
  const [problem, setProblem] = useState<string>();
  const [rejected, setRejected] = useState<{ index: number; message: string }[]>([]);
  const enroll = useMutation(EnrollPhotosDocument);

  const submit = async (event: FormEvent): Promise<void> => {
    event.preventDefault();
    setRejected([]);
    if (files.length === 0) {
      setProblem('Choose at least one photo.');
      return;
    }
    setProblem(undefined);
    const photos = await Promise.all(files.map(blobToBase64));
    const result = (await enroll.run({ employeeId: employee.id, photos }))?.enrollFromPhotos;
    if (result === undefined) {
      return;
    }
    if (result.__typename === 'PhotoEnrollmentResult') {
      onDone(result.employee, `${employee.fullName} enrolled from ${files.length} photo${files.length === 1 ? '' : 's'}: ${result.templates.total} templates.`);
    } else {
      setProblem(result.message);
      setRejected(result.__typename === 'PhotosRejectedError' ? result.rejected : []);
    }
  };

  return (
    <form className="stack" onSubmit={(e) => void submit(e)}>
      <p className="muted">Each photo must show {employee.fullName}'s face alone, clearly lit. The new photos replace any templates stored before.</p>
      <Field label="Photos" hint="JPEG or PNG, one or more.">
        {(p) => <input {...p} type="file" accept="image/jpeg,image/png" multiple onChange={(e) => setFiles([...(e.target.files ?? [])])} />}
      </Field>
      {problem === undefined ? null : (
        <Notice tone="error" title="Not enrolled">
          <p>{problem}</p>
          {rejected.length === 0 ? null : (
            <ul>
              {rejected.map((r) => (
                <li key={r.index}>
                  {files[r.index]?.name ?? `Photo ${r.index + 1}`}: {r.message}
                </li>
              ))}
            </ul>
          )}
        </Notice>
      )}
      <ErrorNotice error={enroll.error} />
      <div className="dialog-actions">
        <Button type="submit" variant="primary" icon="photo" busy={enroll.loading}>
          {enroll.loading ? 'Enrolling…' : 'Enroll from photos'}
        </Button>
      </div>
    </form>
  );
}

export function PhotoEnrollmentDialog({ employee, onClose, onDone }: { employee: EmployeeRowFragment; onClose: () => void; onDone: (updated: EmployeeRowFragment, message: string) => void }): ReactElement {
  return (
    <Dialog open title={`Enroll ${employee.fullName} from photos`} onClose={onClose}>
      <PhotoEnrollment employee={employee} onDone={onDone} />
    </Dialog>
  );
}
