import { DELIVERY_STATUSES, type Delivery, type Endpoint } from '../api/types.ts';
import { StatusBadge, Time } from '../components/bits.tsx';
import { DataTable, PagedRows, usePagedList } from '../components/paged-list.tsx';
import { OpenCell } from '../components/side-panel.tsx';
import { fromLocalInput, toLocalInput } from '../local-time.ts';
import { useQueryState } from '../router.tsx';
import { useSession } from '../session.tsx';
import { useApi } from '../use-api.ts';
import { useEventTypes } from '../use-event-types.ts';
import { DeliveryPanel } from './delivery-panel.tsx';
import { RecoverForm } from './recover-form.tsx';

/** The deliveries log: filters and page live in the URL so a filtered view can be shared or reloaded. */
export function DeliveriesPage({ orgId }: { orgId: string }) {
  const { api } = useSession();
  const [query, setQuery] = useQueryState();
  const filters = {
    status: query.get('status') ?? '',
    eventType: query.get('eventType') ?? '',
    endpoint: query.get('endpoint') ?? '',
    since: query.get('since') ?? '',
    until: query.get('until') ?? '',
    // Set by an event's "Open in the deliveries log": the deliveries of that one event.
    event: query.get('event') ?? '',
  };
  const selected = query.get('selected');
  const catalog = useEventTypes().data?.data;
  const endpoints = useApi(
    (signal) => api.page<Endpoint>(`/v1/orgs/${orgId}/endpoints`, { limit: 100 }, signal),
    [orgId],
  );
  const list = usePagedList<Delivery>(`/v1/orgs/${orgId}/deliveries`, filters, { pollMs: 2000 });
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
            <select
              value={filters.status}
              onChange={(e) => list.restart({ status: e.target.value })}
            >
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
              onChange={(e) => list.restart({ eventType: e.target.value.trim() })}
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
              onChange={(e) => list.restart({ endpoint: e.target.value })}
            >
              <option value="">any</option>
              {endpoints.data?.data.map((endpoint) => (
                <option key={endpoint.id} value={endpoint.id}>
                  {endpoint.name}
                </option>
              ))}
            </select>
          </label>
          <TimeFilter
            label="Since"
            value={filters.since}
            set={(since) => list.restart({ since })}
          />
          <TimeFilter
            label="Until"
            value={filters.until}
            set={(until) => list.restart({ until })}
          />
        </form>
        {filters.event && (
          <p>
            Deliveries of event <span className="mono">{filters.event}</span>{' '}
            <button type="button" onClick={() => list.restart({ event: null })}>
              Show all events
            </button>
          </p>
        )}
        {filters.endpoint && (
          <RecoverForm orgId={orgId} endpointId={filters.endpoint} onDone={list.reload} />
        )}
        <PagedRows list={list} what="deliveries" empty="No delivery matches these filters.">
          {(deliveries) => (
            <DataTable
              caption="Deliveries"
              className="deliveries"
              columns={[
                'Delivery',
                'Event type',
                'Endpoint',
                'Status',
                'Attempts',
                'Last code',
                'Created',
              ]}
            >
              {deliveries.map((d) => (
                <tr key={d.id} aria-selected={d.id === selected} aria-label={`Delivery ${d.id}`}>
                  <OpenCell
                    id={d.id}
                    label={`Details of ${d.id}`}
                    onOpen={() => setQuery({ selected: d.id })}
                  />
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
            </DataTable>
          )}
        </PagedRows>
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

/** A bound of the time window, typed in the viewer's wall clock; the URL holds the instant. */
function TimeFilter(props: { label: string; value: string; set: (iso: string | null) => void }) {
  return (
    <label>
      {props.label}
      <input
        type="datetime-local"
        value={props.value ? toLocalInput(new Date(props.value)) : ''}
        onChange={(e) => props.set(e.target.value ? fromLocalInput(e.target.value) : null)}
      />
    </label>
  );
}
