import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { notFound } from '../../../domain/errors.ts';
import { newId } from '../../../domain/ids.ts';
import { DEFAULT_ORG_SETTINGS } from '../../../domain/types.ts';
import type { ApiDeps } from '../../deps.ts';
import { errorResponses, OrgParams, PageQuery, pageOf } from '../../schemas.ts';
import { OrgIn, OrgOut, OrgPatch, orgOut } from './schemas.ts';

export const orgRoutes =
  ({ store, clock }: ApiDeps): FastifyPluginAsyncTypebox =>
  async (app) => {
    const tags = ['organizations'];

    app.post(
      '/v1/orgs',
      { schema: { tags, body: OrgIn, response: { 201: OrgOut, ...errorResponses } } },
      async (request, reply) => {
        const now = clock.now();
        const org = await store.createOrg({
          id: newId('org', now),
          name: request.body.name,
          settings: { ...DEFAULT_ORG_SETTINGS, ...request.body.settings },
          createdAt: now,
          updatedAt: now,
        });
        return reply.status(201).send(orgOut(org));
      },
    );

    app.get(
      '/v1/orgs',
      {
        schema: {
          tags,
          querystring: PageQuery,
          response: { 200: pageOf(OrgOut), ...errorResponses },
        },
      },
      async (request) => {
        const page = await store.listOrgs(request.query);
        return { data: page.data.map(orgOut), nextCursor: page.nextCursor };
      },
    );

    app.get(
      '/v1/orgs/:org',
      { schema: { tags, params: OrgParams, response: { 200: OrgOut, ...errorResponses } } },
      async (request) => {
        const org = await store.getOrg(request.params.org);
        if (!org) throw notFound('organization', request.params.org);
        return orgOut(org);
      },
    );

    app.patch(
      '/v1/orgs/:org',
      {
        schema: {
          tags,
          params: OrgParams,
          body: OrgPatch,
          response: { 200: OrgOut, ...errorResponses },
        },
      },
      async (request) => {
        const org = await store.updateOrg(request.params.org, request.body, clock.now());
        if (!org) throw notFound('organization', request.params.org);
        return orgOut(org);
      },
    );

    app.delete(
      '/v1/orgs/:org',
      { schema: { tags, params: OrgParams, response: { 204: Type.Null(), ...errorResponses } } },
      async (request, reply) => {
        if (!(await store.deleteOrg(request.params.org)))
          throw notFound('organization', request.params.org);
        return reply.status(204).send(null);
      },
    );
  };
