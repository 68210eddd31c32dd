import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { newObjectId } from '../../../certificates/object-id.ts';
import { notFound } from '../../../domain/errors.ts';
import type { ApiDeps } from '../../deps.ts';
import { requireOrg } from '../../org-scope.ts';
import { errorResponses, OrgParams, PageQuery, pageOf } from '../../schemas.ts';
import { BadgeIn, BadgeOut, BadgeParams, BadgePatchIn, badgeOut } from './schemas.ts';

/** Badge definitions: what an organization's certificates are certificates of. */
export const badgeRoutes =
  ({ store, clock }: ApiDeps): FastifyPluginAsyncTypebox =>
  async (app) => {
    const tags = ['badges'];

    app.addHook('preHandler', async (request) => {
      await requireOrg(store, request, (request.params as { org: string }).org);
    });

    app.post(
      '/v1/orgs/:org/badges',
      {
        schema: {
          tags,
          params: OrgParams,
          body: BadgeIn,
          response: { 201: BadgeOut, ...errorResponses },
        },
      },
      async (request, reply) => {
        const now = clock.now();
        const body = request.body;
        const badge = await store.createBadge(
          {
            id: newObjectId(now),
            orgId: request.params.org,
            name: body.name,
            description: body.description ?? '',
            ruleType: body.ruleType ?? 'certification',
            validityDurationDays: body.validityDurationDays ?? null,
            lessonIds: body.lessonIds ?? [],
          },
          now,
        );
        return reply.status(201).send(badgeOut(badge));
      },
    );

    app.get(
      '/v1/orgs/:org/badges',
      {
        schema: {
          tags,
          params: OrgParams,
          querystring: PageQuery,
          response: { 200: pageOf(BadgeOut), ...errorResponses },
        },
      },
      async (request) => {
        const page = await store.listBadges(request.params.org, request.query);
        return { data: page.data.map(badgeOut), nextCursor: page.nextCursor };
      },
    );

    app.get(
      '/v1/orgs/:org/badges/:id',
      { schema: { tags, params: BadgeParams, response: { 200: BadgeOut, ...errorResponses } } },
      async (request) => {
        const badge = await store.getBadge(request.params.org, request.params.id);
        if (!badge) throw notFound('badge', request.params.id);
        return badgeOut(badge);
      },
    );

    app.patch(
      '/v1/orgs/:org/badges/:id',
      {
        schema: {
          tags,
          params: BadgeParams,
          body: BadgePatchIn,
          response: { 200: BadgeOut, ...errorResponses },
        },
      },
      async (request) => {
        const { org, id } = request.params;
        const badge = await store.updateBadge(org, id, request.body, clock.now());
        if (!badge) throw notFound('badge', id);
        return badgeOut(badge);
      },
    );

    app.delete(
      '/v1/orgs/:org/badges/:id',
      {
        schema: { tags, params: BadgeParams, response: { 204: Type.Null(), ...errorResponses } },
      },
      async (request, reply) => {
        const { org, id } = request.params;
        if (!(await store.deleteBadge(org, id, clock.now()))) throw notFound('badge', id);
        return reply.status(204).send(null);
      },
    );
  };
