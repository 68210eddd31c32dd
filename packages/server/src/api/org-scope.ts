import type { FastifyRequest } from 'fastify';
import { notFound } from '../domain/errors.ts';
import type { Organization } from '../domain/types.ts';
import type { Store } from '../store/store.ts';

/** The organization named in the path, if it exists and the caller may see it; otherwise 404. */
export async function requireOrg(
  store: Store,
  _request: FastifyRequest,
  orgId: string,
): Promise<Organization> {
  const org = await store.getOrg(orgId);
  if (!org) throw notFound('organization', orgId);
  return org;
}
