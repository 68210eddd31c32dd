import { type FormEvent, useState } from 'react';
import { Api, ApiError } from '../api/client.ts';
import type { Organization } from '../api/types.ts';

export interface Principal {
  token: string;
  kind: 'admin' | 'org';
  orgId?: string;
}

/**
 * Works out what a token may do, using only the public API: the admin token
 * lists organizations; an organization API key (`hk_…`) sees just its own.
 */
export async function resolvePrincipal(token: string, orgHint?: string): Promise<Principal> {
  const api = new Api(token);
  // A key with its organization goes straight there: probing the admin-only list would be a 403.
  if (token.startsWith('hk_') && orgHint) {
    await api.get(`/v1/orgs/${encodeURIComponent(orgHint)}`);
    return { token, kind: 'org', orgId: orgHint };
  }
  try {
    const orgs = await api.page<Organization>('/v1/orgs', { limit: 2 });
    if (token.startsWith('hk_') && orgs.data.length === 1)
      return { token, kind: 'org', orgId: orgs.data[0].id };
    return { token, kind: 'admin' };
  } catch (error) {
    if (!(error instanceof ApiError) || error.status !== 403) throw error;
    if (!orgHint)
      throw new Error('An organization API key also needs its organization ID.', { cause: error });
  }
  await api.get(`/v1/orgs/${encodeURIComponent(orgHint)}`);
  return { token, kind: 'org', orgId: orgHint };
}

export function SignIn({ onSignedIn }: { onSignedIn(principal: Principal): void }) {
  const [token, setToken] = useState('');
  const [org, setOrg] = useState('');
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);
  const isKey = token.trim().startsWith('hk_');

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setError(undefined);
    try {
      onSignedIn(await resolvePrincipal(token.trim(), org.trim() || undefined));
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
        {isKey && (
          <>
            <label htmlFor="org">Organization ID (for an API key)</label>
            <input id="org" value={org} onChange={(event) => setOrg(event.target.value)} />
          </>
        )}
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
