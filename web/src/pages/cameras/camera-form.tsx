// Add or edit a camera: name, source (device index, rtsp/http URL or a video
// file on the server), loop and real-time for files, frame size and rate,
// every-Nth-frame, and whether it starts with the server.
import { useState, type FormEvent, type ReactElement } from 'react';
import { Dialog, DialogActions } from '../../components/dialog';
import { ErrorNotice, Field } from '../../components/ui';
import { AddCameraDocument, EditCameraDocument, type CameraRowFragment } from '../../gql/graphql';
import { useMutation } from '../../lib/hooks';

interface Draft {
  name: string;
  source: string;
  loop: boolean;
  realtime: boolean;
  enabled: boolean;
  predictInterval: string;
  width: string;
  height: string;
  fps: string;
}

const optionalInt = (v: string): number | null => (v.trim() === '' ? null : Number(v));

export function CameraFormDialog({ camera, onClose, onSaved }: { camera: CameraRowFragment | undefined; onClose: () => void; onSaved: (name: string) => void }): ReactElement {
  const [draft, setDraft] = useState<Draft>(() => ({
    name: camera?.name ?? '',
    source: camera?.source ?? '',
    loop: camera?.loop ?? false,
    realtime: camera?.realtime ?? true,
    enabled: camera?.enabled ?? true,
    predictInterval: String(camera?.predictInterval ?? 1),
    width: camera?.width === null || camera?.width === undefined ? '' : String(camera.width),
    height: camera?.height === null || camera?.height === undefined ? '' : String(camera.height),
    fps: camera?.fps === null || camera?.fps === undefined ? '' : String(camera.fps),
  }));
  const [errors, setErrors] = useState<Record<string, string>>({});
  const create = useMutation(AddCameraDocument);
  const update = useMutation(EditCameraDocument);
  const set = <K extends keyof Draft>(key: K, value: Draft[K]): void => setDraft((d) => ({ ...d, [key]: value }));

  const submit = async (event: FormEvent): Promise<void> => {
    event.preventDefault();
    const local: Record<string, string> = {};
    if (draft.name.trim() === '') {
      local.name = 'Enter a name.';
    }
    if (draft.source.trim() === '') {
      local.source = 'Enter a source.';
    }
    setErrors(local);
    if (Object.keys(local).length > 0) {
      return;
    }
    const input = {
      name: draft.name.trim(),
      // An edited stream URL shows its password as ***: leave the source alone unless it changed.
      ...(camera !== undefined && draft.source === camera.source ? {} : { source: draft.source.trim() }),
      loop: draft.loop,
      realtime: draft.realtime,
      enabled: draft.enabled,
      predictInterval: Number(draft.predictInterval) || 1,
      width: optionalInt(draft.width),
      height: optionalInt(draft.height),
      fps: optionalInt(draft.fps),
    };
    const result =
      camera === undefined ? (await create.run({ input: { ...input, source: draft.source.trim() } }))?.createCamera : (await update.run({ id: camera.id, input }))?.updateCamera;
    if (result === undefined) {
      return;
    }
    if (result.__typename === 'Camera') {
      onSaved(result.name);
    } else if (result.__typename === 'ValidationError') {
      setErrors(Object.fromEntries(result.issues.map((i) => [i.path.at(-1) ?? 'form', i.message])));
    } else if (result.__typename === 'CameraNameTakenError') {
      setErrors({ name: result.message });
    } else {
      setErrors({ form: result.message });
    }
  };

  return (
    <Dialog open title={camera === undefined ? 'Add a camera' : `Edit ${camera.name}`} onClose={onClose} wide>
      <form className="stack" onSubmit={(e) => void submit(e)} noValidate>
        <div className="form-grid">
          <Field label="Name" error={errors.name}>{(p) => <input {...p} value={draft.name} onChange={(e) => set('name', e.target.value)} />}</Field>
          <Field label="Source" hint="Device index (0), rtsp:// or http:// URL, or a video file path on the server." error={errors.source}>
            {(p) => <input {...p} value={draft.source} onChange={(e) => set('source', e.target.value)} spellCheck={false} />}
          </Field>
          <Field label="Process every Nth frame" error={errors.predictInterval}>
            {(p) => <input {...p} type="number" min={1} value={draft.predictInterval} onChange={(e) => set('predictInterval', e.target.value)} />}
          </Field>
          <Field label="Width" hint="Empty: server default." error={errors.width}>{(p) => <input {...p} type="number" min={16} value={draft.width} onChange={(e) => set('width', e.target.value)} />}</Field>
          <Field label="Height" hint="Empty: server default." error={errors.height}>{(p) => <input {...p} type="number" min={16} value={draft.height} onChange={(e) => set('height', e.target.value)} />}</Field>
          <Field label="Frames per second" hint="Empty: server default." error={errors.fps}>{(p) => <input {...p} type="number" min={1} value={draft.fps} onChange={(e) => set('fps', e.target.value)} />}</Field>
        </div>
        <div className="row">
          <label className="checkbox">
            <input type="checkbox" checked={draft.enabled} onChange={(e) => set('enabled', e.target.checked)} /> Start with the server
          </label>
          <label className="checkbox">
            <input type="checkbox" checked={draft.loop} onChange={(e) => set('loop', e.target.checked)} /> Loop a video file
          </label>
          <label className="checkbox">
            <input type="checkbox" checked={draft.realtime} onChange={(e) => set('realtime', e.target.checked)} /> Play files in real time
          </label>
        </div>
        {errors.form === undefined ? null : <ErrorNotice error={new Error(errors.form)} />}
        <ErrorNotice error={create.error ?? update.error} />
        <DialogActions onCancel={onClose} submitLabel={camera === undefined ? 'Add camera' : 'Save'} busy={create.loading || update.loading} />
      </form>
    </Dialog>
  );
}
