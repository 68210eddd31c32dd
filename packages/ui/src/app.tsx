import { type ReactElement, useCallback, useEffect, useMemo, useState } from 'react';
import { Api, type Capabilities, loadCapabilities } from './api/client.ts';
import type { Organization } from './api/types.ts';
import { Loading } from './components/bits.tsx';
import { ApiKeysPage } from './pages/api-keys.tsx';
import { CertificatesPage } from './pages/certificates.tsx';
import { DeliveriesPage } from './pages/deliveries.tsx';
import { EndpointFormPage } from './pages/endpoint-form.tsx';
import { EndpointPage } from './pages/endpoint-page.tsx';
import { EndpointsPage } from './pages/endpoints.tsx';
import { EventTypesPage } from './pages/event-types.tsx';
import { EventsPage } from './pages/events.tsx';
import { OrgsPage } from './pages/orgs.tsx';
import { type Principal, resolvePrincipal, SignIn } from './pages/sign-in.tsx';
import { Link, match, navigate, useFocusOnNavigate, useLocation } from './router.tsx';
import {
  forgetToken,
  type Session,
  SessionContext,
  storedToken,
  storeToken,
  useSession,
} from './session.tsx';
import { useApi } from './use-api.ts';

export function App() {
  const [principal, setPrincipal] = useState<Principal | null>();
  const [capabilities, setCapabilities] = useState<Capabilities>();
  const [message, setMessage] = useState('');

  useEffect(() => {
    loadCapabilities().then(setCapabilities);
    const token = storedToken();
    if (!token) return setPrincipal(null);
    resolvePrincipal(token).then(setPrincipal, () => {
      forgetToken();
      setPrincipal(null);
    });
  }, []);

  // Status messages fade after a while; the live region has already announced them.
  useEffect(() => {
    if (!message) return;
    const timer = setTimeout(() => setMessage(''), 6000);
    return () => clearTimeout(timer);
  }, [message]);

  const signOut = useCallback(() => {
    forgetToken();
    setPrincipal(null);
  }, []);

  const session = useMemo<Session | null>(() => {
    if (!principal || !capabilities) return null;
    const api = new Api(principal.token);
    api.onUnauthorized = signOut;
    return {
      api,
      kind: principal.kind,
      orgId: principal.orgId,
      keyId: principal.keyId,
      capabilities,
      signOut,
      notify: setMessage,
    };
  }, [principal, capabilities, signOut]);

  if (principal === undefined || !capabilities) return <Loading what="Herald" />;
  if (principal === null)
    return (
      <SignIn
        onSignedIn={(next) => {
          storeToken(next.token);
          setPrincipal(next);
        }}
      />
    );
  if (!session) return <Loading what="Herald" />;
  return (
    <SessionContext.Provider value={session}>
      <Shell />
      <div className="toast" role="status" aria-live="polite">
        {message}
      </div>
    </SessionContext.Provider>
  );
}

const ORG_PAGES: [string, (p: Record<string, string>) => ReactElement][] = [
  ['/orgs/:org/endpoints', (p) => <EndpointsPage orgId={p.org} />],
  ['/orgs/:org/endpoints/new', (p) => <EndpointFormPage orgId={p.org} />],
  ['/orgs/:org/endpoints/:ep', (p) => <EndpointPage orgId={p.org} endpointId={p.ep} />],
  ['/orgs/:org/endpoints/:ep/edit', (p) => <EndpointFormPage orgId={p.org} endpointId={p.ep} />],
  ['/orgs/:org/deliveries', (p) => <DeliveriesPage orgId={p.org} />],
  ['/orgs/:org/events', (p) => <EventsPage orgId={p.org} />],
  ['/orgs/:org/certificates', (p) => <CertificatesPage orgId={p.org} />],
  ['/orgs/:org/api-keys', (p) => <ApiKeysPage orgId={p.org} />],
];

function Shell() {
  const session = useSession();
  const { path } = useLocation();
  useFocusOnNavigate(path);
  const pathOrg = path.startsWith('/orgs/') ? decodeURIComponent(path.split('/')[2]) : undefined;
  // The catalog is global: on its page, keep the organization the person came from in reach.
  const [lastOrg, setLastOrg] = useState(pathOrg);
  if (pathOrg && pathOrg !== lastOrg) setLastOrg(pathOrg);
  const orgId = pathOrg ?? (path === '/event-types' ? lastOrg : undefined) ?? session.orgId;

  useEffect(() => {
    if (path === '/' || (session.kind === 'org' && path === '/orgs'))
      navigate(session.kind === 'org' ? `/orgs/${session.orgId}/endpoints` : '/orgs', {
        replace: true,
      });
  }, [path, session]);

  let page: ReactElement | null = null;
  for (const [pattern, render] of ORG_PAGES) {
    const params = match(pattern, path);
    if (params) {
      page = render(params);
      break;
    }
  }
  if (!page && path === '/orgs' && session.kind === 'admin') page = <OrgsPage />;
  if (!page && path === '/event-types' && session.capabilities.eventTypes)
    page = <EventTypesPage orgId={orgId} />;

  return (
    <div className="layout">
      <header>
        <a className="skip" href="#main">
          Skip to content
        </a>
        <span className="brand">Herald</span>
        <OrgSwitch orgId={orgId} />
        <nav aria-label="Main">
          {orgId && (
            <>
              <Link
                to={`/orgs/${orgId}/endpoints`}
                aria-current={path.includes('/endpoints') ? 'page' : undefined}
              >
                Endpoints
              </Link>
              <Link
                to={`/orgs/${orgId}/deliveries`}
                aria-current={path.endsWith('/deliveries') ? 'page' : undefined}
              >
                Deliveries
              </Link>
              <Link
                to={`/orgs/${orgId}/events`}
                aria-current={path.endsWith('/events') ? 'page' : undefined}
              >
                Events
              </Link>
            </>
          )}
          {orgId && session.capabilities.certificates && (
            <Link
              to={`/orgs/${orgId}/certificates`}
              aria-current={path.endsWith('/certificates') ? 'page' : undefined}
            >
              Certificates
            </Link>
          )}
          {orgId && session.capabilities.apiKeys && (
            <Link
              to={`/orgs/${orgId}/api-keys`}
              aria-current={path.endsWith('/api-keys') ? 'page' : undefined}
            >
              API keys
            </Link>
          )}
          {session.capabilities.eventTypes && (
            <Link to="/event-types" aria-current={path === '/event-types' ? 'page' : undefined}>
              Event types
            </Link>
          )}
        </nav>
        <button type="button" onClick={session.signOut}>
          Sign out
        </button>
      </header>
      <main id="main">
        {page ?? (
          <>
            <h1 tabIndex={-1}>Not found</h1>
            <p>
              There is no page at <span className="mono">{path}</span>.{' '}
              <Link to="/">Go to the start</Link>.
            </p>
          </>
        )}
      </main>
    </div>
  );
}

/** The admin's current organization, with a way back to the list. */
function OrgSwitch({ orgId }: { orgId: string | undefined }) {
  const { api, kind } = useSession();
  const org = useApi(
    (signal) =>
      orgId ? api.get<Organization>(`/v1/orgs/${orgId}`, {}, signal) : Promise.resolve(undefined),
    [orgId],
  );
  if (!orgId) return null;
  return (
    <span className="org">
      <span className="visually-hidden">Organization: </span>
      {org.data?.name ?? orgId}
      {kind === 'admin' && (
        <Link to="/orgs" className="small">
          switch
        </Link>
      )}
    </span>
  );
}
