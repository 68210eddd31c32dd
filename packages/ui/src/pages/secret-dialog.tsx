import { useEffect, useState } from 'react';
import type { Endpoint } from '../api/types.ts';
import { copyToClipboard } from '../clipboard.ts';
import { Dialog } from '../components/dialog.tsx';
import { useSession } from '../session.tsx';

/** Shows an endpoint's signing secret on request only, with a copy button. */
export function SecretDialog({
  orgId,
  endpoint,
  onClose,
}: {
  orgId: string;
  endpoint: Endpoint | undefined;
  onClose(): void;
}) {
  const { api, notify } = useSession();
  const [secret, setSecret] = useState<string>();
  const [error, setError] = useState<string>();

  useEffect(() => {
    setSecret(undefined);
    setError(undefined);
    if (!endpoint) return;
    api.get<{ secret: string }>(`/v1/orgs/${orgId}/endpoints/${endpoint.id}/secret`).then(
      (answer) => setSecret(answer.secret),
      (reason: Error) => setError(reason.message),
    );
  }, [api, orgId, endpoint]);

  return (
    <Dialog
      title={`Signing secret of ${endpoint?.name ?? ''}`}
      open={endpoint !== undefined}
      onClose={onClose}
      actions={
        <>
          <button
            type="button"
            onClick={() => secret && copyToClipboard(secret, 'Secret', notify)}
            disabled={!secret}
          >
            Copy secret
          </button>
          <button type="button" className="primary" onClick={onClose}>
            Close
          </button>
        </>
      }
    >
      <p>Receivers verify the webhook-signature header with this secret. Keep it private.</p>
      {error && <p role="alert">{error}</p>}
      <output className="mono secret" aria-label="Signing secret">
        {secret ?? 'Loading…'}
      </output>
    </Dialog>
  );
}
