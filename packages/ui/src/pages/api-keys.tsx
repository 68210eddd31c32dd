import { useState } from 'react';
import type { ApiKey, NewApiKey } from '../api/types.ts';
import { copyToClipboard } from '../clipboard.ts';
import { ErrorNote, Time } from '../components/bits.tsx';
import { ConfirmDialog, Dialog, useConfirmation } from '../components/dialog.tsx';
import { FieldError, invalid } from '../components/field-error.tsx';
import { DataTable, PagedRows, usePagedList } from '../components/paged-list.tsx';
import { useSession } from '../session.tsx';
import { useSubmit } from '../use-submit.ts';

/** An organization's API keys: create one (shown once), see when each was used, revoke. */
export function ApiKeysPage({ orgId }: { orgId: string }) {
  const { api, keyId, notify, signOut } = useSession();
  const base = `/v1/orgs/${orgId}/api-keys`;
  const keys = usePagedList<ApiKey>(base);
  const [created, setCreated] = useState<NewApiKey>();
  const revoking = useConfirmation(async (key: ApiKey) => {
    await api.delete(`${base}/${key.id}`);
    notify(`API key ${key.name} revoked`);
    // The key this tab signed in with no longer opens anything.
    if (key.id === keyId) signOut();
    else keys.reload();
  });
  const revokingOwn = revoking.target !== undefined && revoking.target.id === keyId;

  return (
    <>
      <h1 tabIndex={-1}>API keys</h1>
      <p className="muted">
        A key (<span className="mono">hk_…</span>) lets a program use this organization's API, and
        nothing of other organizations. Herald keeps only a hash: a key is shown once, when it is
        created.
      </p>
      <ErrorNote error={revoking.failure} />
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
                    onClick={() => revoking.ask(key)}
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
        {...revoking.dialog}
        title="Revoke API key?"
        message={
          <>
            Programs using <strong>{revoking.target?.name}</strong> (
            <span className="mono">{revoking.target?.prefix}…</span>) get 401 from now on. This
            cannot be undone.
            {revokingOwn && ' You are signed in with this key: revoking it signs you out.'}
          </>
        }
        confirmLabel="Revoke key"
      />
    </>
  );
}

function NewKeyForm({ base, onCreated }: { base: string; onCreated(key: NewApiKey): void }) {
  const { api } = useSession();
  const [name, setName] = useState('');
  const { submit, errors, failure, busy } = useSubmit(async () => {
    onCreated(await api.post<NewApiKey>(base, { name: name.trim() }));
    setName('');
  });

  return (
    <form className="inline-form" onSubmit={submit} aria-labelledby="new-key-title">
      <h2 id="new-key-title">New API key</h2>
      <label htmlFor="key-name">Key name</label>
      <input
        id="key-name"
        value={name}
        maxLength={200}
        placeholder="e.g. LMS production"
        onChange={(event) => setName(event.target.value)}
        required
        {...invalid('key-name', errors.name)}
      />
      <FieldError id="key-name" message={errors.name} />
      <button type="submit" className="primary" disabled={busy || !name.trim()}>
        Create key
      </button>
      <ErrorNote error={failure} />
    </form>
  );
}

/** The one moment the key itself is visible. */
function NewKeyDialog({ created, onClose }: { created: NewApiKey | undefined; onClose(): void }) {
  const { notify } = useSession();
  return (
    <Dialog
      title={`API key ${created?.name ?? ''} created`}
      open={created !== undefined}
      onClose={onClose}
      actions={
        <>
          <button
            type="button"
            onClick={() => created && copyToClipboard(created.key, 'API key', notify)}
          >
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
