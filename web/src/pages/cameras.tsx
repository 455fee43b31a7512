// /cameras: every camera with its live state (refreshed every two seconds);
// operators add, edit, start, stop and delete them.
import { useState, type ReactElement } from 'react';
import { ConfirmDialog } from '../components/dialog';
import { ACTIONS_COLUMN, DataTable } from '../components/data-table';
import { QueryView } from '../components/query-view';
import { Badge, Button, Empty, ErrorNotice, Notice, PageHeader } from '../components/ui';
import { CameraListDocument, RemoveCameraDocument, StartCameraNowDocument, StopCameraNowDocument, type CameraRowFragment } from '../gql/graphql';
import { formatMs } from '../lib/format';
import { useMutation, useQuery } from '../lib/hooks';
import { useCan } from '../lib/session';
import { CameraFormDialog } from './cameras/camera-form';

const stateTone = { connected: 'good', connecting: 'accent', reconnecting: 'warn', stopped: 'neutral' } as const;

type Action = { kind: 'add' } | { kind: 'edit'; camera: CameraRowFragment } | { kind: 'delete'; camera: CameraRowFragment } | null;

export function CamerasPage(): ReactElement {
  const can = useCan();
  const manage = can('cameras:manage');
  const list = useQuery(CameraListDocument, {}, { pollMs: 2_000 });
  const start = useMutation(StartCameraNowDocument);
  const stop = useMutation(StopCameraNowDocument);
  const remove = useMutation(RemoveCameraDocument);
  const [action, setAction] = useState<Action>(null);
  const [done, setDone] = useState<string>();
  const [busyId, setBusyId] = useState<number>();

  const finish = (message: string): void => {
    setAction(null);
    setDone(message);
    list.refetch();
  };
  const toggle = async (camera: CameraRowFragment): Promise<void> => {
    setBusyId(camera.id);
    const running = camera.info.state !== 'stopped';
    const result = running ? (await stop.run({ id: camera.id }))?.stopCamera : (await start.run({ id: camera.id }))?.startCamera;
    setBusyId(undefined);
    if (result !== undefined) {
      setDone(result.__typename === 'CameraInfo' ? `${camera.name} ${running ? 'stopped' : 'started'}.` : result.message);
    }
    list.refetch();
  };

  return (
    <>
      <PageHeader
        title="Cameras"
        description="The cameras this server watches. Starting and stopping acts on this server now; “start with the server” is kept."
        actions={
          manage ? (
            <Button variant="primary" icon="plus" onClick={() => setAction({ kind: 'add' })}>
              Add camera
            </Button>
          ) : undefined
        }
      />
      {done === undefined ? null : <Notice tone="success">{done}</Notice>}
      <QueryView query={list} data={list.data?.cameras} what="cameras" error={list.error ?? start.error ?? stop.error}>
        {(cameras) =>
          cameras.length === 0 ? (
            <div className="card">
              <Empty icon="cameras" title="No cameras yet">
                {manage ? 'Add one: a USB camera index, an RTSP stream or a video file.' : null}
              </Empty>
            </div>
          ) : (
            <DataTable label="Cameras" columns={['Name', 'Source', 'State', 'Frames in / processed', 'Dropped', 'Latency p50', ...(manage ? [ACTIONS_COLUMN] : [])]}>
              {cameras.map((c) => (
                <tr key={c.id}>
                  <td>
                    <div style={{ fontWeight: 500 }}>{c.name}</div>
                    <div className="muted small">{c.enabled ? 'Starts with the server' : 'Manual start'}</div>
                  </td>
                  <td className="small" style={{ maxWidth: 280, wordBreak: 'break-all' }}>
                    {c.info.source}
                  </td>
                  <td>
                    <Badge tone={stateTone[c.info.state]}>{c.info.state}</Badge>
                    {c.info.error === null ? null : <div className="muted small">{c.info.error}</div>}
                  </td>
                  <td>
                    {c.info.fpsIn.toFixed(1)} / {c.info.fpsProcessed.toFixed(1)} fps
                  </td>
                  <td>{c.info.framesDropped}</td>
                  <td>{formatMs(c.info.latencyMs.p50)}</td>
                  {manage ? (
                    <td className="actions">
                      <Button variant="ghost" icon={c.info.state === 'stopped' ? 'play' : 'stop'} busy={busyId === c.id} onClick={() => void toggle(c)} aria-label={`${c.info.state === 'stopped' ? 'Start' : 'Stop'} ${c.name}`}>
                        {c.info.state === 'stopped' ? 'Start' : 'Stop'}
                      </Button>
                      <Button variant="ghost" iconOnly icon="edit" onClick={() => setAction({ kind: 'edit', camera: c })} aria-label={`Edit ${c.name}`}>
                        Edit
                      </Button>
                      <Button variant="ghost" iconOnly icon="trash" onClick={() => setAction({ kind: 'delete', camera: c })} aria-label={`Delete ${c.name}`}>
                        Delete
                      </Button>
                    </td>
                  ) : null}
                </tr>
              ))}
            </DataTable>
          )
        }
      </QueryView>
      {action?.kind === 'add' || action?.kind === 'edit' ? (
        <CameraFormDialog camera={action.kind === 'edit' ? action.camera : undefined} onClose={() => setAction(null)} onSaved={(name) => finish(`${name} saved.`)} />
      ) : null}
      {action?.kind === 'delete' ? (
        <ConfirmDialog
          open
          title={`Delete ${action.camera.name}?`}
          confirmLabel="Delete camera"
          danger
          busy={remove.loading}
          onClose={() => setAction(null)}
          onConfirm={() => void remove.run({ id: action.camera.id }).then((r) => r?.deleteCamera.__typename === 'Camera' && finish(`${action.camera.name} deleted.`))}
        >
          <p>The camera stops and is removed. Its attendance logs stay.</p>
          <ErrorNotice error={remove.error} />
        </ConfirmDialog>
      ) : null}
    </>
  );
}
