import type { EventType } from '../api/types.ts';
import { JsonView, ListState } from '../components/bits.tsx';
import { Link } from '../router.tsx';
import { useEventTypes } from '../use-event-types.ts';

/** The link that opens the events page's publish form on this type, with its example. */
const publishLink = (orgId: string, type: string) =>
  `/orgs/${orgId}/events?publish=${encodeURIComponent(type)}`;

/**
 * The global catalog: every type with its schema and example. `orgId` is the
 * organization the person came from, so an example can be published there.
 */
export function EventTypesPage({ orgId }: { orgId?: string }) {
  const catalog = useEventTypes();
  const types = catalog.data?.data;
  return (
    <>
      <h1 tabIndex={-1}>Event types</h1>
      <p className="hint">
        Publishing checks each payload against its type's schema (JSON Schema 2020-12).
      </p>
      <ListState
        loading={catalog.loading}
        error={catalog.error}
        count={types?.length}
        what="event types"
        empty="The catalog is empty."
      />
      {types?.map((type) => (
        <EventTypeCard key={type.name} type={type} orgId={orgId} />
      ))}
    </>
  );
}

function EventTypeCard({ type, orgId }: { type: EventType; orgId?: string }) {
  const hasExample = type.example !== null && type.example !== undefined;
  return (
    <section className="card" aria-labelledby={`type-${type.name}`}>
      <div className="page-head">
        <h2 id={`type-${type.name}`} className="mono">
          {type.name}
        </h2>
        <p className="tags">
          <span className="badge">{type.builtIn ? 'built-in' : 'custom'}</span>
          {type.deprecated && <span className="badge badge-failed">deprecated</span>}
          <span className="muted">version {type.version}</span>
        </p>
      </div>
      {type.description && <p>{type.description}</p>}
      <div className="two-columns">
        <div>
          <h3>Schema</h3>
          {type.schema ? (
            <JsonView value={type.schema} label={`Schema of ${type.name}`} />
          ) : (
            <p className="muted">No schema: any JSON object is accepted.</p>
          )}
        </div>
        <div>
          <h3>Example</h3>
          {hasExample ? (
            <JsonView value={type.example} label={`Example of ${type.name}`} />
          ) : (
            <p className="muted">No example.</p>
          )}
          {hasExample && orgId && (
            <Link
              to={publishLink(orgId, type.name)}
              aria-label={`Publish the example of ${type.name}`}
            >
              Publish this example
            </Link>
          )}
        </div>
      </div>
    </section>
  );
}
