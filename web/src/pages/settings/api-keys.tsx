// API keys (admins): create one (shown once, with a copy button), list, revoke.
import { useState, type FormEvent, type ReactElement } from 'react';
import { ConfirmDialog, Dialog, DialogActions } from '../../components/dialog';
import { ACTIONS_COLUMN, DataTable } from '../../components/data-table';
import { QueryView } from '../../components/query-view';
import { SelectField } from '../../components/select-field';
import { Badge, Button, ErrorNotice, Field, Notice } from '../../components/ui';
import { AddKeyDocument, CameraListDocument, KeyListDocument, RevokeKeyDocument, type KeyRowFragment, type Role } from '../../gql/graphql';
import { formatDateTime } from '../../lib/format';
import { useMutation, useQuery } from '../../lib/hooks';

const roleHelp: Record<Role, string> = {
  admin: 'Everything, including keys and erasure.',
  operator: 'Employees, enrollment, attendance, cameras.',
  viewer: 'Read only.',
  kiosk: 'A check-in or enrollment device: submits frames, never lists people.',
};

export function ApiKeys(): ReactElement {
  const [showRevoked, setShowRevoked] = useState(false);
  const keys = useQuery(KeyListDocument, { includeRevoked: showRevoked });
  const [creating, setCreating] = useState(false);
  const [created, setCreated] = useState<{ key: string; name: string }>();
  const [revoking, setRevoking] = useState<KeyRowFragment>();
  const revoke = useMutation(RevokeKeyDocument);

  return (
    <div className="stack">
      <div className="row" style={{ justifyContent: 'space-between' }}>
        <label className="checkbox">
          <input type="checkbox" checked={showRevoked} onChange={(e) => setShowRevoked(e.target.checked)} /> Show revoked keys
        </label>
        <Button variant="primary" icon="key" onClick={() => setCreating(true)}>
          Create key
        </Button>
      </div>
      {created === undefined ? null : (
        <Notice tone="success" title={`Key “${created.name}” created — copy it now`}>
          <p>It is shown only this once. Store it somewhere safe.</p>
          <div className="secret">
            <code data-testid="new-key">{created.key}</code>
            <Button variant="ghost" onClick={() => void navigator.clipboard?.writeText(created.key)}>
              Copy
            </Button>
          </div>
        </Notice>
      )}
      <QueryView query={keys} data={keys.data?.apiKeys} what="keys">
        {(apiKeys) => (
          <DataTable label="API keys" columns={['Name', 'Key', 'Role', 'Created', 'Last used', ACTIONS_COLUMN]}>
            {apiKeys.map((k) => (
              <tr key={k.id}>
                <td>{k.name}</td>
                <td>
                  <code>{k.prefix}…</code>
                </td>
                <td>
                  <Badge tone={k.role === 'admin' ? 'accent' : 'neutral'}>{k.role}</Badge>
                  {k.cameraId === null ? null : <span className="muted small"> camera #{k.cameraId}</span>}
                </td>
                <td>{formatDateTime(k.createdAt)}</td>
                <td>{formatDateTime(k.lastUsedAt)}</td>
                <td className="actions">
                  {k.revokedAt === null ? (
                    <Button variant="ghost" icon="trash" onClick={() => setRevoking(k)} aria-label={`Revoke ${k.name}`}>
                      Revoke
                    </Button>
                  ) : (
                    <Badge tone="bad">revoked</Badge>
                  )}
                </td>
              </tr>
            ))}
          </DataTable>
        )}
      </QueryView>
      {creating ? (
        <CreateKeyDialog
          onClose={() => setCreating(false)}
          onCreated={(key, name) => {
            setCreating(false);
            setCreated({ key, name });
            keys.refetch();
          }}
        />
      ) : null}
      {revoking === undefined ? null : (
        <ConfirmDialog
          open
          title={`Revoke “${revoking.name}”?`}
          confirmLabel="Revoke key"
          danger
          busy={revoke.loading}
          onClose={() => setRevoking(undefined)}
          onConfirm={() =>
            void revoke.run({ id: revoking.id }).then(() => {
              setRevoking(undefined);
              keys.refetch();
            })
          }
        >
          <p>Every request with this key, and every browser signed in with it, stops working at once.</p>
          <ErrorNotice error={revoke.error} />
        </ConfirmDialog>
      )}
    </div>
  );
}

function CreateKeyDialog({ onClose, onCreated }: { onClose: () => void; onCreated: (key: string, name: string) => void }): ReactElement {
  const [name, setName] = useState('');
  const [role, setRole] = useState<Role>('viewer');
  const [cameraId, setCameraId] = useState('');
  const [problem, setProblem] = useState<string>();
  const cameras = useQuery(CameraListDocument, {});
  const create = useMutation(AddKeyDocument);
  const submit = async (event: FormEvent): Promise<void> => {
    event.preventDefault();
    if (name.trim() === '') {
      setProblem('Give the key a name (who or what uses it).');
      return;
    }
    const r = (await create.run({ input: { name: name.trim(), role, ...(role === 'kiosk' && cameraId !== '' ? { cameraId: Number(cameraId) } : {}) } }))?.createApiKey;
    if (r === undefined) {
      return;
    }
    if (r.__typename === 'CreatedApiKey') {
      onCreated(r.key, r.apiKey.name);
    } else {
      setProblem(r.message);
    }
  };
  return (
    <Dialog open title="Create an API key" onClose={onClose}>
      <form className="stack" onSubmit={(e) => void submit(e)} noValidate>
        <Field label="Name" hint="Who or what uses it, e.g. “Front desk tablet”." error={problem}>
          {(p) => <input {...p} value={name} onChange={(e) => setName(e.target.value)} />}
        </Field>
        <Field label="Role" hint={roleHelp[role]}>
          {(p) => (
            <select {...p} value={role} onChange={(e) => setRole(e.target.value as Role)}>
              <option value="viewer">Viewer</option>
              <option value="operator">Operator</option>
              <option value="kiosk">Kiosk</option>
              <option value="admin">Admin</option>
            </select>
          )}
        </Field>
        {role === 'kiosk' ? (
          <SelectField
            label="Camera"
            hint="Optional: the camera whose results this kiosk may read."
            value={cameraId}
            onChange={setCameraId}
            none="None"
            choices={(cameras.data?.cameras ?? []).map((c) => ({ value: c.id, label: c.name }))}
          />
        ) : null}
        <ErrorNotice error={create.error} />
        <DialogActions onCancel={onClose} submitLabel="Create key" busy={create.loading} />
      </form>
    </Dialog>
  );
}
