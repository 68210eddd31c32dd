import type { FastifyRequest } from 'fastify';
import { notFound } from '../domain/errors.ts';
import type { Organization } from '../domain/types.ts';
import type { Store } from '../store/store.ts';

/**
 * The organization named in the path, if it exists and the caller may see it;
 * otherwise 404. An organization key asking for another organization gets the
 * same 404 as for one that does not exist.
 */
export async function requireOrg(
  store: Store,
  request: FastifyRequest,
  orgId: string,
): Promise<Organization> {
  const { principal } = request;
  if (principal?.kind === 'org' && principal.orgId !== orgId) throw notFound('organization', orgId);
  const org = await store.getOrg(orgId);
  if (!org) throw notFound('organization', orgId);
  return org;
}
