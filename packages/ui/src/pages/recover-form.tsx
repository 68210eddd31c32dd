import { type FormEvent, useId, useState } from 'react';
import { useSession } from '../session.tsx';

/** `datetime-local` wants local wall-clock text without a zone. */
const localInputValue = (date: Date) =>
  new Date(date.getTime() - date.getTimezoneOffset() * 60_000).toISOString().slice(0, 16);

/** Bulk recovery: every failed delivery of the endpoint since a time goes back in the queue. */
export function RecoverForm({
  orgId,
  endpointId,
  onDone,
}: {
  orgId: string;
  endpointId: string;
  onDone(): void;
}) {
  const { api, notify } = useSession();
  const [since, setSince] = useState(() => localInputValue(new Date(Date.now() - 86_400_000)));
  const [busy, setBusy] = useState(false);
  const id = useId();

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    try {
      // The input is in the viewer's zone; the API takes an instant.
      const { recovered } = await api.post<{ recovered: number }>(
        `/v1/orgs/${orgId}/endpoints/${endpointId}/recover`,
        { since: new Date(since).toISOString() },
      );
      notify(`${recovered} failed ${recovered === 1 ? 'delivery' : 'deliveries'} queued again`);
      onDone();
    } catch (error) {
      notify(`Recovery failed: ${(error as Error).message}`);
    } finally {
      setBusy(false);
    }
  };

  return (
    <form className="inline-form" onSubmit={submit} aria-label="Recover failed deliveries">
      <label htmlFor={id}>Recover failed deliveries since</label>
      <input
        id={id}
        type="datetime-local"
        value={since}
        onChange={(event) => setSince(event.target.value)}
        required
      />
      <button type="submit" disabled={busy}>
        Recover failed
      </button>
    </form>
  );
}
