import { randomBytes } from 'node:crypto';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { notFound } from '../../../domain/errors.ts';
import { newId } from '../../../domain/ids.ts';
import type { ApiDeps } from '../../deps.ts';
import { requireOrg } from '../../org-scope.ts';
import { API_KEY_PREFIX, hashToken } from '../../plugins/auth.ts';
import { errorResponses, OrgParams, PageQuery, pageOf } from '../../schemas.ts';
import { ApiKeyCreated, ApiKeyIn, ApiKeyOut, apiKeyOut } from './schemas.ts';

/** How much of a key stays visible in lists: `hk_` and 8 characters. */
const VISIBLE_PREFIX = API_KEY_PREFIX.length + 8;

const KeyParams = Type.Object({
  org: Type.String({ maxLength: 64 }),
  key: Type.String({ maxLength: 64 }),
});

/** Organization API keys: shown once at creation, stored only as a SHA-256 hash. */
export const apiKeyRoutes =
  ({ store, clock }: ApiDeps): FastifyPluginAsyncTypebox =>
  async (app) => {
    const tags = ['api keys'];

    app.addHook('preHandler', async (request) => {
      await requireOrg(store, request, (request.params as { org: string }).org);
    });

    app.post(
      '/v1/orgs/:org/api-keys',
      {
        schema: {
          tags,
          params: OrgParams,
          body: Type.Optional(ApiKeyIn),
          response: { 201: ApiKeyCreated, ...errorResponses },
        },
      },
      async (request, reply) => {
        const now = clock.now();
        const key = `${API_KEY_PREFIX}${randomBytes(32).toString('base64url')}`;
        const created = await store.createApiKey(
          {
            id: newId('key', now),
            orgId: request.params.org,
            name: request.body?.name ?? 'API key',
            prefix: key.slice(0, VISIBLE_PREFIX),
            createdAt: now,
            lastUsedAt: null,
          },
          hashToken(key).toString('hex'),
        );
        return reply.status(201).send({ ...apiKeyOut(created), key });
      },
    );

    app.get(
      '/v1/orgs/:org/api-keys',
      {
        schema: {
          tags,
          params: OrgParams,
          querystring: PageQuery,
          response: { 200: pageOf(ApiKeyOut), ...errorResponses },
        },
      },
      async (request) => {
        const page = await store.listApiKeys(request.params.org, request.query);
        return { data: page.data.map(apiKeyOut), nextCursor: page.nextCursor };
      },
    );

    app.delete(
      '/v1/orgs/:org/api-keys/:key',
      {
        schema: { tags, params: KeyParams, response: { 204: Type.Null(), ...errorResponses } },
      },
      async (request, reply) => {
        if (!(await store.revokeApiKey(request.params.org, request.params.key, clock.now())))
          throw notFound('API key', request.params.key);
        return reply.status(204).send(null);
      },
    );
  };
