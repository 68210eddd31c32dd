import { createContext, useContext } from 'react';
import type { Api, Capabilities } from './api/client.ts';

/** Who is signed in. An organization API key sees only its own organization. */
export interface Session {
  api: Api;
  kind: 'admin' | 'org';
  /** For an organization key: the one organization it belongs to. */
  orgId?: string;
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

/** The token lives for the tab only: closing it signs out, and other sites never see it. */
const ORG_KEY = 'herald.org';
export const storedToken = () => sessionStorage.getItem(TOKEN_KEY);
/** An organization key's organization, so a reload need not ask for it again. */
export const storedOrg = () => sessionStorage.getItem(ORG_KEY) ?? undefined;
export const storeToken = (token: string, orgId?: string) => {
  sessionStorage.setItem(TOKEN_KEY, token);
  if (orgId) sessionStorage.setItem(ORG_KEY, orgId);
  else sessionStorage.removeItem(ORG_KEY);
};
export const forgetToken = () => {
  sessionStorage.removeItem(TOKEN_KEY);
  sessionStorage.removeItem(ORG_KEY);
};
