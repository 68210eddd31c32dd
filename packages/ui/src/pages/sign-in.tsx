import { type FormEvent, useState } from 'react';
import { Api, ApiError } from '../api/client.ts';
import type { Me } from '../api/types.ts';

export interface Principal {
  token: string;
  kind: 'admin' | 'org';
  /** For an organization API key: its organization and its own id. */
  orgId?: string;
  keyId?: string;
}

/** Asks Herald who the token is: the admin, or an organization's API key (`hk_…`). */
export async function resolvePrincipal(token: string): Promise<Principal> {
  const me = await new Api(token).get<Me>('/v1/me');
  return me.kind === 'org' ? { token, ...me } : { token, kind: 'admin' };
}

export function SignIn({ onSignedIn }: { onSignedIn(principal: Principal): void }) {
  const [token, setToken] = useState('');
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setError(undefined);
    try {
      onSignedIn(await resolvePrincipal(token.trim()));
    } catch (reason) {
      setError(
        reason instanceof ApiError && reason.status === 401
          ? 'That token was not accepted.'
          : reason instanceof Error
            ? reason.message
            : String(reason),
      );
    } finally {
      setBusy(false);
    }
  };

  return (
    <main className="sign-in">
      <h1 tabIndex={-1}>Herald back office</h1>
      <form onSubmit={submit} aria-describedby={error ? 'sign-in-error' : undefined}>
        <label htmlFor="token">Admin token or organization API key</label>
        <input
          id="token"
          type="password"
          autoComplete="current-password"
          value={token}
          onChange={(event) => setToken(event.target.value)}
          required
        />
        {error && (
          <p id="sign-in-error" className="field-error" role="alert">
            {error}
          </p>
        )}
        <button type="submit" className="primary" disabled={busy || !token.trim()}>
          {busy ? 'Signing in…' : 'Sign in'}
        </button>
      </form>
      <p className="muted">
        The token stays in this browser tab only. Herald printed the admin token on its first start.
      </p>
    </main>
  );
}
