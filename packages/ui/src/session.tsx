import { createContext, useContext } from 'react';
import type { Api, Capabilities } from './api/client.ts';

/** Who is signed in. An organization API key sees only its own organization. */
export interface Session {
  api: Api;
  kind: 'admin' | 'org';
  /** For an organization key: the one organization it belongs to, and the key's id. */
  orgId?: string;
  keyId?: string;
  capabilities: Capabilities;
  signOut(): void;
  /** Shows a short status message in the live region. */
  notify(message: string): void;
}

export const SessionContext = createContext<Session | null>(null);

export function useSession(): Session {
  const session = useContext(SessionContext);
  if (!session) throw new Error('useSession outside a signed-in page');
  return session;
}

const TOKEN_KEY = 'herald.token';

/**
 * The token lives for the tab only: closing it signs out, and other sites
 * never see it. An organization key's organization is asked again on reload
 * (GET /v1/me), so nothing else is kept.
 */
export const storedToken = () => sessionStorage.getItem(TOKEN_KEY);
export const storeToken = (token: string) => sessionStorage.setItem(TOKEN_KEY, token);
export const forgetToken = () => sessionStorage.removeItem(TOKEN_KEY);
