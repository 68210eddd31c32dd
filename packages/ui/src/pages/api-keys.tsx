import { type FormEvent, useState } from 'react';
import type { ApiKey, NewApiKey } from '../api/types.ts';
import { ErrorNote, Time } from '../components/bits.tsx';
import { ConfirmDialog, Dialog } from '../components/dialog.tsx';
import { DataTable, PagedRows, usePagedList } from '../components/paged-list.tsx';
import { useSession } from '../session.tsx';

/** An organization's API keys: create one (shown once), see when each was used, revoke. */
export function ApiKeysPage({ orgId }: { orgId: string }) {
  const { api, keyId, notify, signOut } = useSession();
  const base = `/v1/orgs/${orgId}/api-keys`;
  const keys = usePagedList<ApiKey>(base);
  const [created, setCreated] = useState<NewApiKey>();
  const [revoking, setRevoking] = useState<ApiKey>();
  const [failure, setFailure] = useState<Error>();
  const revokingOwn = revoking !== undefined && revoking.id === keyId;

  const revoke = async (key: ApiKey) => {
    setFailure(undefined);
    try {
      await api.delete(`${base}/${key.id}`);
      notify(`API key ${key.name} revoked`);
      // The key this tab signed in with no longer opens anything.
      if (key.id === keyId) signOut();
      else keys.reload();
    } catch (error) {
      setFailure(error as Error);
    }
  };

  return (
    <>
      <h1 tabIndex={-1}>API keys</h1>
      <p className="muted">
        A key (<span className="mono">hk_…</span>) lets a program use this organization's API, and
        nothing of other organizations. Herald keeps only a hash: a key is shown once, when it is
        created.
      </p>
      <ErrorNote error={failure} />
      <PagedRows list={keys} what="API keys" empty="No API key yet. Create one below.">
        {(rows) => (
          <DataTable caption="API keys" columns={['Name', 'Key', 'Created', 'Last used']} actions>
            {rows.map((key) => (
              <tr key={key.id}>
                <td>
                  {key.name}
                  {key.id === keyId && <span className="chip">this session</span>}
                </td>
                <td className="mono">{key.prefix}…</td>
                <td>
                  <Time value={key.createdAt} />
                </td>
                <td>{key.lastUsedAt ? <Time value={key.lastUsedAt} /> : 'never'}</td>
                <td>
                  <button
                    type="button"
                    className="danger"
                    aria-label={`Revoke ${key.name} (${key.prefix}…)`}
                    onClick={() => setRevoking(key)}
                  >
                    Revoke
                  </button>
                </td>
              </tr>
            ))}
          </DataTable>
        )}
      </PagedRows>
      <NewKeyForm
        base={base}
        onCreated={(key) => {
          setCreated(key);
          keys.reload();
        }}
      />
      <NewKeyDialog created={created} onClose={() => setCreated(undefined)} />
      <ConfirmDialog
        title="Revoke API key?"
        open={revoking !== undefined}
        message={
          <>
            Programs using <strong>{revoking?.name}</strong> (
            <span className="mono">{revoking?.prefix}…</span>) get 401 from now on. This cannot be
            undone.
            {revokingOwn && ' You are signed in with this key: revoking it signs you out.'}
          </>
        }
        confirmLabel="Revoke key"
        onClose={() => setRevoking(undefined)}
        onConfirm={() => {
          if (revoking) revoke(revoking);
        }}
      />
    </>
  );
}

function NewKeyForm({ base, onCreated }: { base: string; onCreated(key: NewApiKey): void }) {
  const { api } = useSession();
  const [name, setName] = useState('');
  const [error, setError] = useState<Error>();
  const [busy, setBusy] = useState(false);

  const create = async (event: FormEvent) => {
    event.preventDefault();
    setError(undefined);
    setBusy(true);
    try {
      onCreated(await api.post<NewApiKey>(base, { name: name.trim() }));
      setName('');
    } catch (reason) {
      setError(reason as Error);
    } finally {
      setBusy(false);
    }
  };

  return (
    <form className="inline-form" onSubmit={create} aria-labelledby="new-key-title">
      <h2 id="new-key-title">New API key</h2>
      <label htmlFor="key-name">Key name</label>
      <input
        id="key-name"
        value={name}
        maxLength={200}
        placeholder="e.g. LMS production"
        onChange={(event) => setName(event.target.value)}
        required
      />
      <button type="submit" className="primary" disabled={busy || !name.trim()}>
        Create key
      </button>
      <ErrorNote error={error} />
    </form>
  );
}

/** The one moment the key itself is visible. */
function NewKeyDialog({ created, onClose }: { created: NewApiKey | undefined; onClose(): void }) {
  const { notify } = useSession();
  const copy = async () => {
    if (!created) return;
    try {
      await navigator.clipboard.writeText(created.key);
      notify('API key copied to the clipboard');
    } catch {
      notify('Copying is not allowed here: select the key and copy it');
    }
  };
  return (
    <Dialog
      title={`API key ${created?.name ?? ''} created`}
      open={created !== undefined}
      onClose={onClose}
      actions={
        <>
          <button type="button" onClick={copy}>
            Copy key
          </button>
          <button type="button" className="primary" onClick={onClose}>
            Done
          </button>
        </>
      }
    >
      <p>
        Copy the key now and store it safely: Herald keeps only its hash and cannot show it again.
      </p>
      <output className="mono secret" aria-label="New API key">
        {created?.key}
      </output>
    </Dialog>
  );
}
