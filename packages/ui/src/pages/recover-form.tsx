import { type FormEvent, useId, useState } from 'react';
import { fromLocalInput, toLocalInput } from '../local-time.ts';
import { useSession } from '../session.tsx';

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
  const [since, setSince] = useState(() => toLocalInput(new Date(Date.now() - 86_400_000)));
  const [busy, setBusy] = useState(false);
  const id = useId();

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    try {
      const { recovered } = await api.post<{ recovered: number }>(
        `/v1/orgs/${orgId}/endpoints/${endpointId}/recover`,
        { since: fromLocalInput(since) },
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
