import { useState } from 'react';
import type { HeraldEvent } from '../api/types.ts';
import { ListState, Pager, Time } from '../components/bits.tsx';
import { useQueryState } from '../router.tsx';
import { useSession } from '../session.tsx';
import { useApi } from '../use-api.ts';
import { EVENT_TYPE_NAME, useEventTypes } from '../use-event-types.ts';
import { EventPanel } from './event-panel.tsx';
import { PublishForm } from './publish-form.tsx';

/** The events log. The selected event and the type filter live in the URL, so a view can be shared. */
export function EventsPage({ orgId }: { orgId: string }) {
  const { api } = useSession();
  const [query, setQuery] = useQueryState();
  const type = query.get('type') ?? '';
  const selected = query.get('selected');
  const catalog = useEventTypes().data?.data;
  const [cursors, setCursors] = useState<string[]>([]);
  const list = useApi(
    (signal) =>
      // Say so here rather than send a filter the API would answer with a 400.
      type && !EVENT_TYPE_NAME.test(type)
        ? Promise.reject(new Error(`"${type}" is not an event type name.`))
        : api.page<HeraldEvent>(
            `/v1/orgs/${orgId}/events`,
            { type, cursor: cursors.at(-1), limit: 25 },
            signal,
          ),
    [orgId, type, cursors],
    { pollMs: 5000 },
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
            setCursors([]);
            setQuery({ publish: null, selected: id });
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
              onChange={(e) => {
                setCursors([]);
                setQuery({ type: e.target.value.trim() });
              }}
            />
          </label>
          <datalist id="filter-types">
            {catalog?.map((t) => (
              <option key={t.name} value={t.name} />
            ))}
          </datalist>
        </form>
        <ListState
          loading={list.loading}
          error={list.error}
          count={list.data?.data.length}
          what="events"
          empty={type ? `No ${type} event.` : 'No event yet. Publish one above.'}
        />
        {list.data && list.data.data.length > 0 && (
          <table>
            <caption className="visually-hidden">Events</caption>
            <thead>
              <tr>
                <th scope="col">Event</th>
                <th scope="col">Type</th>
                <th scope="col">Created</th>
              </tr>
            </thead>
            <tbody>
              {list.data.data.map((event) => (
                <tr key={event.id} aria-selected={event.id === selected} aria-label={event.id}>
                  <td className="mono">
                    <button
                      type="button"
                      className="link"
                      aria-label={`Payload of ${event.id}`}
                      onClick={() => setQuery({ selected: event.id })}
                    >
                      {event.id}
                    </button>
                  </td>
                  <td>{event.type}</td>
                  <td>
                    <Time value={event.createdAt} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
        <Pager cursors={cursors} nextCursor={list.data?.nextCursor} onChange={setCursors} />
      </div>
      {selected && (
        <EventPanel orgId={orgId} eventId={selected} onClose={() => setQuery({ selected: null })} />
      )}
    </div>
  );
}
