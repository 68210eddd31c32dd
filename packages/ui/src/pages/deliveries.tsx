import { useState } from 'react';
import { DELIVERY_STATUSES, type Delivery, type Endpoint } from '../api/types.ts';
import { ListState, Pager, StatusBadge, Time } from '../components/bits.tsx';
import { useQueryState } from '../router.tsx';
import { useSession } from '../session.tsx';
import { useApi } from '../use-api.ts';
import { useEventTypes } from '../use-event-types.ts';
import { DeliveryPanel } from './delivery-panel.tsx';
import { RecoverForm } from './recover-form.tsx';

const localInput = (iso: string | null) => {
  if (!iso) return '';
  const date = new Date(iso);
  return new Date(date.getTime() - date.getTimezoneOffset() * 60_000).toISOString().slice(0, 16);
};

/** The deliveries log: filters live in the URL so a filtered view can be shared or reloaded. */
export function DeliveriesPage({ orgId }: { orgId: string }) {
  const { api } = useSession();
  const [query, setQuery] = useQueryState();
  const filters = {
    status: query.get('status') ?? '',
    eventType: query.get('eventType') ?? '',
    endpoint: query.get('endpoint') ?? '',
    since: query.get('since') ?? '',
    // Set by an event's "Open in the deliveries log": the deliveries of that one event.
    event: query.get('event') ?? '',
  };
  const selected = query.get('selected');
  const [cursors, setCursors] = useState<string[]>([]);
  const key = JSON.stringify(filters);
  const [lastKey, setLastKey] = useState(key);
  if (key !== lastKey) {
    // New filters start again from the first page.
    setLastKey(key);
    setCursors([]);
  }

  const catalog = useEventTypes().data?.data;
  const endpoints = useApi(
    (signal) => api.page<Endpoint>(`/v1/orgs/${orgId}/endpoints`, { limit: 100 }, signal),
    [orgId],
  );
  const list = useApi(
    (signal) =>
      api.page<Delivery>(
        `/v1/orgs/${orgId}/deliveries`,
        { ...filters, cursor: cursors.at(-1), limit: 25 },
        signal,
      ),
    [orgId, key, cursors],
    { pollMs: 2000 },
  );
  const nameOf = (id: string) => endpoints.data?.data.find((e) => e.id === id)?.name ?? id;

  return (
    <div className={selected ? 'with-panel' : undefined}>
      <div>
        <h1 tabIndex={-1}>Deliveries</h1>
        <form
          className="filters"
          aria-label="Filter deliveries"
          onSubmit={(e) => e.preventDefault()}
        >
          <label>
            Status
            <select value={filters.status} onChange={(e) => setQuery({ status: e.target.value })}>
              <option value="">any</option>
              {DELIVERY_STATUSES.map((status) => (
                <option key={status} value={status}>
                  {status}
                </option>
              ))}
            </select>
          </label>
          <label>
            Event type
            <input
              value={filters.eventType}
              onChange={(e) => setQuery({ eventType: e.target.value.trim() })}
              placeholder="any"
              list="delivery-filter-types"
            />
            <datalist id="delivery-filter-types">
              {catalog?.map((t) => (
                <option key={t.name} value={t.name} />
              ))}
            </datalist>
          </label>
          <label>
            Endpoint
            <select
              value={filters.endpoint}
              onChange={(e) => setQuery({ endpoint: e.target.value })}
            >
              <option value="">any</option>
              {endpoints.data?.data.map((endpoint) => (
                <option key={endpoint.id} value={endpoint.id}>
                  {endpoint.name}
                </option>
              ))}
            </select>
          </label>
          <label>
            Since
            <input
              type="datetime-local"
              value={localInput(filters.since || null)}
              onChange={(e) =>
                setQuery({ since: e.target.value ? new Date(e.target.value).toISOString() : null })
              }
            />
          </label>
        </form>
        {filters.event && (
          <p>
            Deliveries of event <span className="mono">{filters.event}</span>{' '}
            <button type="button" onClick={() => setQuery({ event: null })}>
              Show all events
            </button>
          </p>
        )}
        {filters.endpoint && (
          <RecoverForm orgId={orgId} endpointId={filters.endpoint} onDone={list.reload} />
        )}
        <ListState
          loading={list.loading}
          error={list.error}
          count={list.data?.data.length}
          what="deliveries"
          empty="No delivery matches these filters."
        />
        {list.data && list.data.data.length > 0 && (
          <table className="deliveries">
            <caption className="visually-hidden">Deliveries</caption>
            <thead>
              <tr>
                <th scope="col">Delivery</th>
                <th scope="col">Event type</th>
                <th scope="col">Endpoint</th>
                <th scope="col">Status</th>
                <th scope="col">Attempts</th>
                <th scope="col">Last code</th>
                <th scope="col">Created</th>
              </tr>
            </thead>
            <tbody>
              {list.data.data.map((d) => (
                <tr key={d.id} aria-selected={d.id === selected} aria-label={`Delivery ${d.id}`}>
                  <td className="mono">
                    <button
                      type="button"
                      className="link"
                      aria-label={`Details of ${d.id}`}
                      onClick={() => setQuery({ selected: d.id })}
                    >
                      {d.id}
                    </button>
                  </td>
                  <td>{d.eventType}</td>
                  <td>{nameOf(d.endpointId)}</td>
                  <td>
                    <StatusBadge status={d.status} />
                  </td>
                  <td>{d.attemptCount}</td>
                  <td>{d.lastStatusCode ?? '—'}</td>
                  <td>
                    <Time value={d.createdAt} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
        <Pager cursors={cursors} nextCursor={list.data?.nextCursor} onChange={setCursors} />
      </div>
      {selected && (
        <DeliveryPanel
          orgId={orgId}
          deliveryId={selected}
          endpointName={nameOf}
          onClose={() => setQuery({ selected: null })}
          onChanged={list.reload}
        />
      )}
    </div>
  );
}
