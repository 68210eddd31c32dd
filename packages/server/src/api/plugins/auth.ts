import { createHash, timingSafeEqual } from 'node:crypto';
import type { FastifyRequest } from 'fastify';
import type { Clock } from '../../domain/clock.ts';
import { HeraldError, notFound } from '../../domain/errors.ts';
import type { Store } from '../../store/store.ts';

/**
 * Who is calling: the operator (admin token) or one organization's API key,
 * which sees only its own organization.
 */
export type Principal = { kind: 'admin' } | { kind: 'org'; orgId: string; keyId: string };

declare module 'fastify' {
  interface FastifyRequest {
    principal: Principal;
  }
}

/** Organization API keys start with this, so a key is recognised without a lookup. */
export const API_KEY_PREFIX = 'hk_';

export const hashToken = (token: string): Buffer => createHash('sha256').update(token).digest();

const unauthorized = (message: string) => new HeraldError('WHK_ERR_UNAUTHORIZED', 401, message);
export const forbidden = (message: string) => new HeraldError('WHK_ERR_FORBIDDEN', 403, message);

/** Resolves the bearer token to a principal, or throws 401. Compares hashes in constant time. */
export function authenticator(adminTokenHash: Buffer, store: Store, clock: Clock) {
  return async function authenticate(request: FastifyRequest): Promise<void> {
    const header = request.headers.authorization;
    if (!header) throw unauthorized('missing Authorization: Bearer <token>');
    const match = /^Bearer\s+(\S{1,512})$/i.exec(header);
    if (!match) throw unauthorized('Authorization must be "Bearer <token>"');
    const hash = hashToken(match[1]);
    if (match[1].startsWith(API_KEY_PREFIX)) {
      // The lookup is by the key's hash: an index probe, no comparison to time.
      const key = await store.useApiKey(hash.toString('hex'), clock.now());
      if (!key) throw unauthorized('invalid token');
      request.principal = { kind: 'org', orgId: key.orgId, keyId: key.id };
    } else {
      if (!timingSafeEqual(hash, adminTokenHash)) throw unauthorized('invalid token');
      request.principal = { kind: 'admin' };
    }
    authorize(request);
  };
}

/**
 * What an organization key may reach, decided once per request from the
 * route's pattern: deny by default, so a new admin route is safe unless it is
 * listed here. Another organization's resources are a 404, never a 403: a key
 * must not learn which organizations exist.
 */
function authorize(request: FastifyRequest): void {
  const principal = request.principal;
  if (principal.kind === 'admin') return;
  const route = request.routeOptions.url ?? '';
  const reading = request.method === 'GET' || request.method === 'HEAD';
  // Every caller may ask who it is.
  if (route === '/v1/me') return;
  if (route === '/v1/orgs/:org' || route.startsWith('/v1/orgs/:org/')) {
    const { org } = request.params as { org?: string };
    if (org !== principal.orgId) throw notFound('organization', String(org));
    if (route === '/v1/orgs/:org' && !reading)
      throw forbidden('only the admin token may change an organization');
    return;
  }
  // The event-type catalog is shared: organizations read it, only the operator edits it.
  if ((route === '/v1/event-types' || route.startsWith('/v1/event-types/')) && reading) return;
  throw forbidden('this route needs the admin token');
}

/**
 * For handlers that must be admin-only whatever the route table says (editing
 * the shared event catalog): a second check, so a route-table slip cannot open it.
 */
export function requireAdmin(request: FastifyRequest, action: string): void {
  if (request.principal.kind !== 'admin') throw forbidden(`only the admin token may ${action}`);
}
