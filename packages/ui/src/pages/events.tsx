import { type FormEvent, useState } from 'react';
import { ApiError } from '../api/client.ts';
import type { HeraldEvent } from '../api/types.ts';
import { ErrorNote, JsonView, ListState, Pager, Time } from '../components/bits.tsx';
import { Link, useQueryState } from '../router.tsx';
import { useSession } from '../session.tsx';
import { useApi } from '../use-api.ts';
import { useEventTypes } from './event-types.tsx';

export function EventsPage({ orgId }: { orgId: string }) {
  const { api } = useSession();
  const [query, setQuery] = useQueryState();
  const type = query.get('type') ?? '';
  const selected = query.get('selected');
  const [cursors, setCursors] = useState<string[]>([]);
  const list = useApi(
    (signal) =>
      api.page<HeraldEvent>(
        `/v1/orgs/${orgId}/events`,
        { type, cursor: cursors.at(-1), limit: 25 },
        signal,
      ),
    [orgId, type, cursors],
    { pollMs: 5000 },
  );
  const shown = list.data?.data.find((event) => event.id === selected);

  return (
    <div className={selected ? 'with-panel' : undefined}>
      <div>
        <h1 tabIndex={-1}>Events</h1>
        <PublishForm orgId={orgId} onPublished={list.reload} />
        <form className="filters" aria-label="Filter events" onSubmit={(e) => e.preventDefault()}>
          <label>
            Event type
            <input
              value={type}
              placeholder="any"
              onChange={(e) => {
                setCursors([]);
                setQuery({ type: e.target.value.trim() });
              }}
            />
          </label>
        </form>
        <ListState
          loading={list.loading}
          error={list.error}
          count={list.data?.data.length}
          what="events"
          empty="No event yet. Publish one above."
        />
        {list.data && list.data.data.length > 0 && (
          <table>
            <caption className="visually-hidden">Events</caption>
            <thead>
              <tr>
                <th scope="col">Event</th>
                <th scope="col">Type</th>
                <th scope="col">Created</th>
                <th scope="col">Deliveries</th>
              </tr>
            </thead>
            <tbody>
              {list.data.data.map((event) => (
                <tr key={event.id} aria-selected={event.id === selected}>
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
                  <td>
                    <Link to={`/orgs/${orgId}/deliveries?event=${event.id}`}>deliveries</Link>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
        <Pager cursors={cursors} nextCursor={list.data?.nextCursor} onChange={setCursors} />
      </div>
      {selected && (
        <aside className="panel" aria-labelledby="event-title">
          <div className="page-head">
            <h2 id="event-title">
              Event <span className="mono">{selected}</span>
            </h2>
            <button
              type="button"
              aria-label="Close event"
              onClick={() => setQuery({ selected: null })}
            >
              ✕
            </button>
          </div>
          {shown ? (
            <>
              <p>
                {shown.type} · <Time value={shown.createdAt} />
                {shown.idempotencyKey && <> · idempotency key {shown.idempotencyKey}</>}
              </p>
              <JsonView value={shown.payload} label="Event payload" />
            </>
          ) : (
            <p className="muted">This event is not on the current page.</p>
          )}
        </aside>
      )}
    </div>
  );
}

/** Publishes an event for testing, starting from the catalog's example when there is one. */
function PublishForm({ orgId, onPublished }: { orgId: string; onPublished(): void }) {
  const { api, notify } = useSession();
  const catalog = useEventTypes();
  const [type, setType] = useState('');
  const [payload, setPayload] = useState('{\n  \n}');
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [failure, setFailure] = useState<Error>();

  const pickType = (name: string) => {
    setType(name);
    const example = catalog.find((t) => t.name === name)?.example;
    if (example !== undefined) setPayload(JSON.stringify(example, null, 2));
  };

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setErrors({});
    setFailure(undefined);
    let parsed: unknown;
    try {
      parsed = JSON.parse(payload);
    } catch (error) {
      setErrors({ payload: `not JSON: ${(error as Error).message}` });
      return;
    }
    try {
      const answer = await api.post<{ id: string; deliveries: number }>(
        `/v1/orgs/${orgId}/events`,
        {
          type,
          payload: parsed,
        },
      );
      notify(`Event ${answer.id} published to ${answer.deliveries} endpoint(s)`);
      onPublished();
    } catch (error) {
      if (error instanceof ApiError && error.field)
        setErrors({ [error.field.split('.')[0]]: error.message });
      else setFailure(error as Error);
    }
  };

  return (
    <details className="card">
      <summary>Publish an event</summary>
      <form onSubmit={submit} noValidate>
        <div className="field">
          <label htmlFor="publish-type">Event type</label>
          <input
            id="publish-type"
            list="publish-types"
            value={type}
            onChange={(e) => pickType(e.target.value)}
            aria-invalid={errors.type ? true : undefined}
            aria-describedby={errors.type ? 'publish-type-error' : undefined}
          />
          <datalist id="publish-types">
            {catalog.map((t) => (
              <option key={t.name} value={t.name} />
            ))}
          </datalist>
          {errors.type && (
            <p id="publish-type-error" className="field-error" role="alert">
              {errors.type}
            </p>
          )}
        </div>
        <div className="field">
          <label htmlFor="publish-payload">Payload (JSON)</label>
          <textarea
            id="publish-payload"
            rows={8}
            className="mono"
            value={payload}
            onChange={(e) => setPayload(e.target.value)}
            aria-invalid={errors.payload ? true : undefined}
            aria-describedby={errors.payload ? 'publish-payload-error' : undefined}
          />
          {errors.payload && (
            <p id="publish-payload-error" className="field-error" role="alert">
              {errors.payload}
            </p>
          )}
        </div>
        <ErrorNote error={failure} />
        <button type="submit" className="primary">
          Publish event
        </button>
      </form>
    </details>
  );
}
