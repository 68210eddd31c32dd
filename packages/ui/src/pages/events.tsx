import type { HeraldEvent } from '../api/types.ts';
import { Time } from '../components/bits.tsx';
import { DataTable, PagedRows, usePagedList } from '../components/paged-list.tsx';
import { OpenCell } from '../components/side-panel.tsx';
import { useQueryState } from '../router.tsx';
import { EVENT_TYPE_NAME, useEventTypes } from '../use-event-types.ts';
import { EventPanel } from './event-panel.tsx';
import { PublishForm } from './publish-form.tsx';

/** The events log. The selected event and the type filter live in the URL, so a view can be shared. */
export function EventsPage({ orgId }: { orgId: string }) {
  const [query, setQuery] = useQueryState();
  const type = query.get('type') ?? '';
  const selected = query.get('selected');
  const catalog = useEventTypes().data?.data;
  const list = usePagedList<HeraldEvent>(
    `/v1/orgs/${orgId}/events`,
    { type },
    {
      pollMs: 5000,
      // Say so here rather than send a filter the API would answer with a 400.
      refusal:
        type && !EVENT_TYPE_NAME.test(type) ? `"${type}" is not an event type name.` : undefined,
    },
  );

  return (
    <div className={selected ? 'with-panel' : undefined}>
      <div>
        <h1 tabIndex={-1}>Events</h1>
        <PublishForm
          orgId={orgId}
          catalog={catalog}
          initialType={query.get('publish') ?? undefined}
          onPublished={(id) => {
            // Back to the first page, where the new event is, with its payload open.
            list.restart({ publish: null, selected: id });
            list.reload();
          }}
        />
        <form className="filters" aria-label="Filter events" onSubmit={(e) => e.preventDefault()}>
          <label>
            Event type
            <input
              value={type}
              placeholder="any"
              list="filter-types"
              onChange={(e) => list.restart({ type: e.target.value.trim() })}
            />
          </label>
          <datalist id="filter-types">
            {catalog?.map((t) => (
              <option key={t.name} value={t.name} />
            ))}
          </datalist>
        </form>
        <PagedRows
          list={list}
          what="events"
          empty={type ? `No ${type} event.` : 'No event yet. Publish one above.'}
        >
          {(events) => (
            <DataTable caption="Events" columns={['Event', 'Type', 'Created']}>
              {events.map((event) => (
                <tr key={event.id} aria-selected={event.id === selected} aria-label={event.id}>
                  <OpenCell
                    id={event.id}
                    label={`Payload of ${event.id}`}
                    onOpen={() => setQuery({ selected: event.id })}
                  />
                  <td>{event.type}</td>
                  <td>
                    <Time value={event.createdAt} />
                  </td>
                </tr>
              ))}
            </DataTable>
          )}
        </PagedRows>
      </div>
      {selected && (
        <EventPanel orgId={orgId} eventId={selected} onClose={() => setQuery({ selected: null })} />
      )}
    </div>
  );
}
