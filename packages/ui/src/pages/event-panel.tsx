import type { Delivery, Endpoint, HeraldEvent } from '../api/types.ts';
import { JsonView, LoadedView, Loading, StatusBadge, Time } from '../components/bits.tsx';
import { SidePanel } from '../components/side-panel.tsx';
import { Link } from '../router.tsx';
import { useSession } from '../session.tsx';
import { useApi } from '../use-api.ts';

/**
 * One event: its payload and where it went. Read by id, so a shared link
 * opens it even when the event is no longer on the list's first page.
 */
export function EventPanel({
  orgId,
  eventId,
  onClose,
}: {
  orgId: string;
  eventId: string;
  onClose(): void;
}) {
  const { api } = useSession();
  const event = useApi(
    (signal) => api.get<HeraldEvent>(`/v1/orgs/${orgId}/events/${eventId}`, {}, signal),
    [orgId, eventId],
  );
  // Polled: a fresh event's deliveries move from pending to delivered while it is open.
  const deliveries = useApi(
    (signal) =>
      api.page<Delivery>(`/v1/orgs/${orgId}/deliveries`, { event: eventId, limit: 100 }, signal),
    [orgId, eventId],
    { pollMs: 2000 },
  );
  const endpoints = useApi(
    (signal) => api.page<Endpoint>(`/v1/orgs/${orgId}/endpoints`, { limit: 100 }, signal),
    [orgId],
  );
  const nameOf = (id: string) => endpoints.data?.data.find((e) => e.id === id)?.name ?? id;

  return (
    <SidePanel
      itemId={eventId}
      title={
        <>
          Event <span className="mono">{eventId}</span>
        </>
      }
      closeLabel="Close event"
      onClose={onClose}
    >
      <LoadedView loaded={event} what="the event">
        {(e) => (
          <>
            <dl className="facts">
              <dt>Type</dt>
              <dd className="mono">{e.type}</dd>
              <dt>Created</dt>
              <dd>
                <Time value={e.createdAt} />
              </dd>
              {e.idempotencyKey && (
                <>
                  <dt>Idempotency key</dt>
                  <dd className="mono">{e.idempotencyKey}</dd>
                </>
              )}
            </dl>
            <h3>Deliveries</h3>
            {!deliveries.data ? (
              <Loading what="the deliveries" />
            ) : deliveries.data.data.length === 0 ? (
              <p className="muted">No endpoint is subscribed to this type.</p>
            ) : (
              <ul className="event-deliveries" aria-label="Deliveries of this event">
                {deliveries.data.data.map((d) => (
                  <li key={d.id} aria-label={`Delivery to ${nameOf(d.endpointId)}`}>
                    {nameOf(d.endpointId)} <StatusBadge status={d.status} />{' '}
                    <span className="muted">
                      {d.attemptCount} attempt{d.attemptCount === 1 ? '' : 's'}
                    </span>
                  </li>
                ))}
              </ul>
            )}
            <p>
              <Link to={`/orgs/${orgId}/deliveries?event=${eventId}`}>
                Open in the deliveries log
              </Link>
            </p>
            <h3>Payload</h3>
            <JsonView value={e.payload} label="Event payload" />
          </>
        )}
      </LoadedView>
    </SidePanel>
  );
}
