import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { errorResponses } from '../../schemas.ts';
import { MeOut } from './schemas.ts';

/**
 * The caller as Herald sees it. A client holding only a token (the back
 * office at sign-in) learns from here whether it is the admin or which
 * organization its key belongs to, without probing other routes.
 */
export const meRoutes = (): FastifyPluginAsyncTypebox => async (app) => {
  app.get(
    '/v1/me',
    {
      schema: {
        tags: ['auth'],
        summary: 'Who the bearer token is',
        response: { 200: MeOut, ...errorResponses },
      },
    },
    async (request) => request.principal,
  );
};
