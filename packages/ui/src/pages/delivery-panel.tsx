import type { DeliveryDetail, HeraldEvent } from '../api/types.ts';
import { JsonView, LoadedView, Loading, StatusBadge, Time } from '../components/bits.tsx';
import { SidePanel } from '../components/side-panel.tsx';
import { useSession } from '../session.tsx';
import { useApi } from '../use-api.ts';

const RETRYABLE = new Set(['failed', 'cancelled']);

/** Every attempt of one delivery and the event's payload, with Retry for a failed one. */
export function DeliveryPanel({
  orgId,
  deliveryId,
  endpointName,
  onClose,
  onChanged,
}: {
  orgId: string;
  deliveryId: string;
  endpointName(id: string): string;
  onClose(): void;
  onChanged(): void;
}) {
  const { api, notify } = useSession();
  const delivery = useApi(
    (signal) => api.get<DeliveryDetail>(`/v1/orgs/${orgId}/deliveries/${deliveryId}`, {}, signal),
    [orgId, deliveryId],
    { pollMs: 2000 },
  );
  const eventId = delivery.data?.eventId;
  const event = useApi(
    (signal) =>
      eventId
        ? api.get<HeraldEvent>(`/v1/orgs/${orgId}/events/${eventId}`, {}, signal)
        : Promise.resolve(undefined),
    [orgId, eventId],
  );

  const retry = async () => {
    try {
      await api.post(`/v1/orgs/${orgId}/deliveries/${deliveryId}/retry`);
      notify(`Delivery ${deliveryId} queued for another attempt`);
    } catch (error) {
      notify(`Retry failed: ${(error as Error).message}`);
    }
    delivery.reload();
    onChanged();
  };

  return (
    <SidePanel
      itemId={deliveryId}
      title={
        <>
          Delivery <span className="mono">{deliveryId}</span>
        </>
      }
      closeLabel="Close delivery details"
      onClose={onClose}
    >
      <LoadedView loaded={delivery} what="the delivery">
        {(d) => (
          <>
            <dl className="facts">
              <dt>Status</dt>
              <dd>
                <StatusBadge status={d.status} />
              </dd>
              <dt>Endpoint</dt>
              <dd>{endpointName(d.endpointId)}</dd>
              <dt>Event</dt>
              <dd className="mono">
                {d.eventId} ({d.eventType})
              </dd>
              <dt>Created</dt>
              <dd>
                <Time value={d.createdAt} />
              </dd>
              {d.nextAttemptAt && (
                <>
                  <dt>Next attempt</dt>
                  <dd>
                    <Time value={d.nextAttemptAt} />
                  </dd>
                </>
              )}
            </dl>
            {RETRYABLE.has(d.status) && (
              <button type="button" className="primary" onClick={retry}>
                Retry
              </button>
            )}
            <h3>Attempts</h3>
            {d.attempts.length === 0 ? (
              <p className="muted">No attempt yet.</p>
            ) : (
              <ol className="attempts" aria-label="Attempts">
                {d.attempts.map((a) => (
                  <li key={a.id} aria-label={`Attempt ${a.number}`}>
                    <div className="attempt-head">
                      <strong>#{a.number}</strong>{' '}
                      <span className={a.error || (a.statusCode ?? 0) >= 300 ? 'bad' : 'good'}>
                        {a.statusCode ?? a.error}
                      </span>{' '}
                      · {a.durationMs} ms · <Time value={a.startedAt} />
                    </div>
                    {a.errorMessage && <p className="field-error">{a.errorMessage}</p>}
                    {a.requestHeaders && (
                      <details>
                        <summary>Request headers</summary>
                        <JsonView
                          value={a.requestHeaders}
                          label={`Request headers of attempt ${a.number}`}
                        />
                      </details>
                    )}
                    {a.responseBody && (
                      <section aria-label={`Response body of attempt ${a.number}`}>
                        <pre className="json">{a.responseBody}</pre>
                      </section>
                    )}
                  </li>
                ))}
              </ol>
            )}
            <h3>Payload</h3>
            {event.data ? (
              <JsonView value={event.data.payload} label="Event payload" />
            ) : (
              <Loading what="the payload" />
            )}
          </>
        )}
      </LoadedView>
    </SidePanel>
  );
}
