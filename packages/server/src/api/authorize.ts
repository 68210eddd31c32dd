import type { FastifyRequest } from 'fastify';
import { HeraldError } from '../domain/errors.ts';

/**
 * For what only the installation's operator may do (edit the global event
 * catalog). Organization API keys authenticate but stop here with a 403.
 */
export function requireAdmin(request: FastifyRequest, action: string): void {
  if ((request.principal as { kind: string }).kind !== 'admin') {
    throw new HeraldError('WHK_ERR_FORBIDDEN', 403, `only the admin token may ${action}`);
  }
}
