import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { notFound } from '../../../domain/errors.ts';
import { IDEMPOTENCY_WINDOW_MS } from '../../../domain/idempotency.ts';
import { newId } from '../../../domain/ids.ts';
import type { ApiDeps } from '../../deps.ts';
import { requireOrg } from '../../org-scope.ts';
import { EventParams, errorResponses, iso, OrgParams, PageQuery, pageOf } from '../../schemas.ts';
import { EventAccepted, EventIn, EventOut, EventType, eventOut } from './schemas.ts';

export const eventRoutes =
  ({ store, clock, wake, metrics, catalog }: ApiDeps): FastifyPluginAsyncTypebox =>
  async (app) => {
    const tags = ['events'];

    app.addHook('preHandler', async (request) => {
      await requireOrg(store, request, (request.params as { org: string }).org);
    });

    app.post(
      '/v1/orgs/:org/events',
      {
        schema: {
          tags,
          params: OrgParams,
          body: EventIn,
          response: {
            200: EventAccepted,
            202: EventAccepted,
            ...errorResponses,
            413: errorResponses[400],
            415: errorResponses[400],
            422: errorResponses[400],
          },
        },
      },
      async (request, reply) => {
        const { type, payload, idempotencyKey } = request.body;
        await catalog.check(request.params.org, type, payload);
        const now = clock.now();
        const result = await store.ingest({
          event: {
            id: newId('evt', now),
            orgId: request.params.org,
            type,
            payloadJson: JSON.stringify(payload),
            idempotencyKey: idempotencyKey ?? null,
            createdAt: now,
          },
          idempotencyWindowMs: IDEMPOTENCY_WINDOW_MS,
        });
        if (!result.duplicate) {
          metrics.eventsIngested.inc();
          if (result.deliveries > 0) wake();
        }
        const { event } = result;
        return reply.status(result.duplicate ? 200 : 202).send({
          id: event.id,
          type: event.type,
          createdAt: iso(event.createdAt),
          deliveries: result.deliveries,
        });
      },
    );

    app.get(
      '/v1/orgs/:org/events',
      {
        schema: {
          tags,
          params: OrgParams,
          querystring: Type.Composite([PageQuery, Type.Object({ type: Type.Optional(EventType) })]),
          response: { 200: pageOf(EventOut), ...errorResponses },
        },
      },
      async (request) => {
        const { type, ...page } = request.query;
        const result = await store.listEvents(request.params.org, { type }, page);
        return { data: result.data.map(eventOut), nextCursor: result.nextCursor };
      },
    );

    app.get(
      '/v1/orgs/:org/events/:evt',
      { schema: { tags, params: EventParams, response: { 200: EventOut, ...errorResponses } } },
      async (request) => {
        const event = await store.getEvent(request.params.org, request.params.evt);
        if (!event) throw notFound('event', request.params.evt);
        return eventOut(event);
      },
    );
  };
