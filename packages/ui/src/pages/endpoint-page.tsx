import { useState } from 'react';
import type { Delivery, Endpoint, EndpointStats, Page } from '../api/types.ts';
import { ErrorNote, LoadedView, Loading, percent, StatusBadge, Time } from '../components/bits.tsx';
import { OutcomeChart } from '../components/chart.tsx';
import { DataTable } from '../components/paged-list.tsx';
import { Link } from '../router.tsx';
import { useSession } from '../session.tsx';
import { useApi } from '../use-api.ts';
import { RecoverForm } from './recover-form.tsx';

const WINDOWS = ['1h', '24h', '7d'] as const;

/** One endpoint at a glance: outcomes over time, latency and its latest deliveries. */
export function EndpointPage({ orgId, endpointId }: { orgId: string; endpointId: string }) {
  const { api } = useSession();
  const base = `/v1/orgs/${orgId}/endpoints/${endpointId}`;
  const [window, setWindow] = useState<(typeof WINDOWS)[number]>('24h');
  const endpoint = useApi((signal) => api.get<Endpoint>(base, {}, signal), [base]);
  const stats = useApi(
    (signal) => api.get<EndpointStats>(`${base}/stats`, { window }, signal),
    [base, window],
    { pollMs: 3000 },
  );
  const recent = useApi(
    (signal) =>
      api.page<Delivery>(
        `/v1/orgs/${orgId}/deliveries`,
        { endpoint: endpointId, limit: 10 },
        signal,
      ),
    [orgId, endpointId],
    { pollMs: 3000 },
  );

  if (!endpoint.data)
    return endpoint.error ? <ErrorNote error={endpoint.error} /> : <Loading what="the endpoint" />;
  const e = endpoint.data;
  const w = stats.data?.window;

  return (
    <>
      <div className="page-head">
        <h1 tabIndex={-1}>{e.name}</h1>
        <Link className="button" to={`/orgs/${orgId}/endpoints/${e.id}/edit`}>
          Edit
        </Link>
      </div>
      <p className="mono">
        {e.url} · {e.enabled ? 'enabled' : 'disabled'} · {e.payloadFormat} ·{' '}
        {e.eventTypes === null ? 'all event types' : e.eventTypes.join(', ')}
      </p>

      <section aria-labelledby="counts-title">
        <h2 id="counts-title">Deliveries</h2>
        <LoadedView loaded={stats} what="statistics">
          {(s) => (
            <dl className="counts" aria-label="Delivery counts">
              <div>
                <dt>Delivered</dt>
                <dd data-testid="count-delivered">{s.delivered}</dd>
              </div>
              <div>
                <dt>Failed</dt>
                <dd data-testid="count-failed">{s.failed}</dd>
              </div>
              <div>
                <dt>Pending</dt>
                <dd data-testid="count-pending">{s.pending}</dd>
              </div>
              <div>
                <dt>Success rate ({window})</dt>
                <dd data-testid="success-rate">{percent(w?.successRate)}</dd>
              </div>
              <div>
                <dt>Last success</dt>
                <dd>
                  <Time value={s.lastSuccessAt} />
                </dd>
              </div>
              <div>
                <dt>Last failure</dt>
                <dd>
                  <Time value={s.lastFailureAt} />
                </dd>
              </div>
            </dl>
          )}
        </LoadedView>
      </section>

      <section aria-labelledby="activity-title">
        <div className="page-head">
          <h2 id="activity-title">Attempts over time</h2>
          <label>
            Window{' '}
            <select
              value={window}
              onChange={(event) => setWindow(event.target.value as (typeof WINDOWS)[number])}
            >
              {WINDOWS.map((name) => (
                <option key={name} value={name}>
                  last {name}
                </option>
              ))}
            </select>
          </label>
        </div>
        {w && <OutcomeChart window={w} />}
        <h3>Latency</h3>
        {w?.latencyMs ? (
          <dl className="counts" aria-label="Latency percentiles">
            <div>
              <dt>p50</dt>
              <dd>{w.latencyMs.p50} ms</dd>
            </div>
            <div>
              <dt>p90</dt>
              <dd>{w.latencyMs.p90} ms</dd>
            </div>
            <div>
              <dt>p99</dt>
              <dd>{w.latencyMs.p99} ms</dd>
            </div>
          </dl>
        ) : (
          <p className="muted">No attempts in this window.</p>
        )}
      </section>

      <section aria-labelledby="recent-title">
        <div className="page-head">
          <h2 id="recent-title">Recent deliveries</h2>
          <Link to={`/orgs/${orgId}/deliveries?endpoint=${e.id}`}>
            All deliveries of this endpoint
          </Link>
        </div>
        <RecentDeliveries page={recent.data} orgId={orgId} />
        <RecoverForm orgId={orgId} endpointId={e.id} onDone={() => recent.reload()} />
      </section>
    </>
  );
}

function RecentDeliveries({ page, orgId }: { page: Page<Delivery> | undefined; orgId: string }) {
  if (!page) return <Loading what="deliveries" />;
  if (page.data.length === 0) return <p className="state empty">No delivery yet.</p>;
  return (
    <DataTable
      caption="Recent deliveries"
      columns={['Delivery', 'Event type', 'Status', 'Attempts', 'Created']}
    >
      {page.data.map((d) => (
        <tr key={d.id}>
          <td className="mono">
            <Link to={`/orgs/${orgId}/deliveries?selected=${d.id}`}>{d.id}</Link>
          </td>
          <td>{d.eventType}</td>
          <td>
            <StatusBadge status={d.status} />
          </td>
          <td>{d.attemptCount}</td>
          <td>
            <Time value={d.createdAt} />
          </td>
        </tr>
      ))}
    </DataTable>
  );
}
