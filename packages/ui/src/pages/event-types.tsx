import type { EventType, Page } from '../api/types.ts';
import { JsonView, ListState } from '../components/bits.tsx';
import { useSession } from '../session.tsx';
import { useApi } from '../use-api.ts';

/** The event-type catalog, when this Herald has one (empty otherwise). */
export function useEventTypes(): EventType[] {
  const { api, capabilities } = useSession();
  const catalog = useApi(
    (signal) =>
      capabilities.eventTypes
        ? api.page<EventType>('/v1/event-types', { limit: 100 }, signal)
        : Promise.resolve({ data: [], nextCursor: null } as Page<EventType>),
    [capabilities.eventTypes],
  );
  return catalog.data?.data ?? [];
}

export const useEventTypeNames = () => useEventTypes().map((type) => type.name);

export function EventTypesPage() {
  const { api } = useSession();
  const catalog = useApi(
    (signal) => api.page<EventType>('/v1/event-types', { limit: 100 }, signal),
    [],
  );
  const types = catalog.data?.data;
  return (
    <>
      <h1 tabIndex={-1}>Event types</h1>
      <ListState
        loading={catalog.loading}
        error={catalog.error}
        count={types?.length}
        what="event types"
        empty="The catalog is empty."
      />
      {types?.map((type) => (
        <section key={type.name} className="card" aria-labelledby={`type-${type.name}`}>
          <h2 id={`type-${type.name}`} className="mono">
            {type.name}
          </h2>
          {type.description && <p>{type.description}</p>}
          <div className="two-columns">
            <div>
              <h3>Schema</h3>
              {type.schema ? (
                <JsonView value={type.schema} label={`Schema of ${type.name}`} />
              ) : (
                <p className="muted">No schema: any JSON payload is accepted.</p>
              )}
            </div>
            <div>
              <h3>Example</h3>
              {type.example !== undefined ? (
                <JsonView value={type.example} label={`Example of ${type.name}`} />
              ) : (
                <p className="muted">No example.</p>
              )}
            </div>
          </div>
        </section>
      ))}
    </>
  );
}
