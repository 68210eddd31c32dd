import { createHash, timingSafeEqual } from 'node:crypto';
import type { FastifyRequest } from 'fastify';
import { HeraldError } from '../../domain/errors.ts';

/** Who is calling. Organization-scoped API keys join the admin here. */
export type Principal = { kind: 'admin' };

declare module 'fastify' {
  interface FastifyRequest {
    principal: Principal;
  }
}

export const hashToken = (token: string): Buffer => createHash('sha256').update(token).digest();

const unauthorized = (message: string) => new HeraldError('WHK_ERR_UNAUTHORIZED', 401, message);

/** Resolves the bearer token to a principal, or throws 401. Compares hashes in constant time. */
export function authenticator(adminTokenHash: Buffer) {
  return async function authenticate(request: FastifyRequest): Promise<void> {
    const header = request.headers.authorization;
    if (!header) throw unauthorized('missing Authorization: Bearer <token>');
    const match = /^Bearer\s+(\S+)$/i.exec(header);
    if (!match) throw unauthorized('Authorization must be "Bearer <token>"');
    if (!timingSafeEqual(hashToken(match[1]), adminTokenHash)) throw unauthorized('invalid token');
    request.principal = { kind: 'admin' };
  };
}
