import { useState } from 'react';
import type { Endpoint, EndpointStats } from '../api/types.ts';
import { percent, Time } from '../components/bits.tsx';
import { ConfirmDialog, useConfirmation } from '../components/dialog.tsx';
import { Menu } from '../components/menu.tsx';
import { DataTable, PagedRows, usePagedList } from '../components/paged-list.tsx';
import { Link, navigate } from '../router.tsx';
import { useSession } from '../session.tsx';
import { useApi } from '../use-api.ts';
import { SecretDialog } from './secret-dialog.tsx';

const latest = (a: string | null, b: string | null) => (!a ? b : !b ? a : a > b ? a : b);

function RowStats({ orgId, endpointId }: { orgId: string; endpointId: string }) {
  const { api } = useSession();
  const stats = useApi(
    (signal) =>
      api.get<EndpointStats>(
        `/v1/orgs/${orgId}/endpoints/${endpointId}/stats`,
        { window: '24h' },
        signal,
      ),
    [orgId, endpointId],
    { pollMs: 5000 },
  );
  if (!stats.data)
    return (
      <td colSpan={2} className="muted">
        {stats.error ? 'unavailable' : '…'}
      </td>
    );
  return (
    <>
      <td>{percent(stats.data.window?.successRate)}</td>
      <td>
        <Time value={latest(stats.data.lastSuccessAt, stats.data.lastFailureAt)} />
      </td>
    </>
  );
}

export function EndpointsPage({ orgId }: { orgId: string }) {
  const { api, notify, capabilities } = useSession();
  const base = `/v1/orgs/${orgId}/endpoints`;
  const list = usePagedList<Endpoint>(base);
  const [secretOf, setSecretOf] = useState<Endpoint>();

  const act = async (what: () => Promise<unknown>, done: string) => {
    try {
      await what();
      notify(done);
    } catch (error) {
      notify(`Failed: ${(error as Error).message}`);
    }
    list.reload();
  };

  const setEnabled = (endpoint: Endpoint, enabled: boolean) =>
    act(
      () => api.patch(`${base}/${endpoint.id}`, { enabled }),
      `${endpoint.name} ${enabled ? 'enabled' : 'disabled'}`,
    );

  // Failures go to the status line, like every action of this page.
  const deleting = useConfirmation((endpoint: Endpoint) =>
    act(() => api.delete(`${base}/${endpoint.id}`), `${endpoint.name} deleted`),
  );

  const menuFor = (endpoint: Endpoint) => [
    { label: 'Edit', onSelect: () => navigate(`/orgs/${orgId}/endpoints/${endpoint.id}/edit`) },
    {
      label: 'Send test event',
      onSelect: () =>
        act(() => api.post(`${base}/${endpoint.id}/test`), `Test event sent to ${endpoint.name}`),
    },
    ...(capabilities.rotateSecret
      ? [
          {
            label: 'Rotate secret',
            onSelect: () =>
              act(
                () => api.post(`${base}/${endpoint.id}/rotate-secret`),
                `Secret of ${endpoint.name} rotated`,
              ),
          },
        ]
      : []),
    { label: 'Reveal secret', onSelect: () => setSecretOf(endpoint) },
    {
      label: endpoint.enabled ? 'Disable' : 'Enable',
      onSelect: () => setEnabled(endpoint, !endpoint.enabled),
    },
    { label: 'Delete', danger: true, onSelect: () => deleting.ask(endpoint) },
  ];

  return (
    <>
      <div className="page-head">
        <h1 tabIndex={-1}>Endpoints</h1>
        <Link className="button primary" to={`/orgs/${orgId}/endpoints/new`}>
          New endpoint
        </Link>
      </div>
      <PagedRows
        list={list}
        what="endpoints"
        empty={
          <>
            No endpoint yet. <Link to={`/orgs/${orgId}/endpoints/new`}>Add the first one</Link>.
          </>
        }
      >
        {(endpoints) => (
          <DataTable
            caption="Endpoints"
            className="endpoints"
            columns={['Name', 'URL', 'Event types', 'Enabled', 'Success (24 h)', 'Last delivery']}
            actions
          >
            {endpoints.map((endpoint) => (
              <tr key={endpoint.id} aria-label={endpoint.name}>
                <td>
                  <Link to={`/orgs/${orgId}/endpoints/${endpoint.id}`}>{endpoint.name}</Link>
                </td>
                <td className="mono url">{endpoint.url}</td>
                <td>
                  {endpoint.eventTypes === null ? (
                    <span className="muted">all</span>
                  ) : (
                    endpoint.eventTypes.map((type) => (
                      <span key={type} className="chip">
                        {type}
                      </span>
                    ))
                  )}
                </td>
                <td>
                  <label className="switch">
                    <input
                      type="checkbox"
                      role="switch"
                      checked={endpoint.enabled}
                      aria-checked={endpoint.enabled}
                      aria-label={`Enabled: ${endpoint.name}`}
                      onChange={(event) => setEnabled(endpoint, event.target.checked)}
                    />
                    <span aria-hidden="true">{endpoint.enabled ? 'on' : 'off'}</span>
                  </label>
                </td>
                <RowStats orgId={orgId} endpointId={endpoint.id} />
                <td>
                  <Menu label={`Actions for ${endpoint.name}`} items={menuFor(endpoint)} />
                </td>
              </tr>
            ))}
          </DataTable>
        )}
      </PagedRows>
      <ConfirmDialog
        {...deleting.dialog}
        title="Delete endpoint?"
        message={
          <>
            <strong>{deleting.target?.name}</strong> stops receiving events and its pending
            deliveries are cancelled. Its delivery history stays readable.
          </>
        }
        confirmLabel="Delete endpoint"
      />
      <SecretDialog orgId={orgId} endpoint={secretOf} onClose={() => setSecretOf(undefined)} />
    </>
  );
}
