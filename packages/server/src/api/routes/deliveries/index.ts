import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { conflict, notFound } from '../../../domain/errors.ts';
import type { ApiDeps } from '../../deps.ts';
import { requireOrg } from '../../org-scope.ts';
import {
  DeliveryParams,
  ErrorResponse,
  errorResponses,
  OrgParams,
  pageOf,
  parseTimestamp,
} from '../../schemas.ts';
import { rebuiltRequestHeaders } from './request-headers.ts';
import {
  attemptOut,
  DeliveryDetailOut,
  DeliveryOut,
  DeliveryQuery,
  deliveryOut,
} from './schemas.ts';

export const deliveryRoutes =
  ({ store, clock, wake, version, config }: ApiDeps): FastifyPluginAsyncTypebox =>
  async (app) => {
    const tags = ['deliveries'];

    app.addHook('preHandler', async (request) => {
      await requireOrg(store, request, (request.params as { org: string }).org);
    });

    app.get(
      '/v1/orgs/:org/deliveries',
      {
        schema: {
          tags,
          params: OrgParams,
          querystring: DeliveryQuery,
          response: { 200: pageOf(DeliveryOut), ...errorResponses },
        },
      },
      async (request) => {
        const { status, endpoint, event, eventType, since, until, cursor, limit } = request.query;
        const page = await store.listDeliveries(
          request.params.org,
          {
            status,
            endpointId: endpoint,
            eventId: event,
            eventType,
            since: since === undefined ? undefined : parseTimestamp(since, 'since'),
            until: until === undefined ? undefined : parseTimestamp(until, 'until'),
          },
          { cursor, limit },
        );
        return { data: page.data.map(deliveryOut), nextCursor: page.nextCursor };
      },
    );

    app.get(
      '/v1/orgs/:org/deliveries/:dlv',
      {
        schema: {
          tags,
          params: DeliveryParams,
          response: { 200: DeliveryDetailOut, ...errorResponses },
        },
      },
      async (request) => {
        const { org, dlv } = request.params;
        const delivery = await store.getDelivery(org, dlv);
        if (!delivery) throw notFound('delivery', dlv);
        // A deleted endpoint's settings are gone: its attempts come without headers.
        const [endpoint, event] = await Promise.all([
          store.getEndpoint(org, delivery.endpointId),
          store.getEvent(org, delivery.eventId),
        ]);
        const headersOf = (attempt: (typeof delivery.attempts)[number]) =>
          endpoint && event
            ? {
                requestHeaders: rebuiltRequestHeaders(event, endpoint, attempt, {
                  userAgent: `Herald/${version}`,
                  source: config.webhookSource,
                }),
              }
            : {};
        return {
          ...deliveryOut(delivery),
          attempts: delivery.attempts.map((attempt) => ({
            ...attemptOut(attempt),
            ...headersOf(attempt),
          })),
        };
      },
    );

    app.post(
      '/v1/orgs/:org/deliveries/:dlv/retry',
      {
        schema: {
          tags,
          params: DeliveryParams,
          response: { 202: DeliveryOut, 409: ErrorResponse, ...errorResponses },
        },
      },
      async (request, reply) => {
        const { org, dlv } = request.params;
        const current = await store.getDelivery(org, dlv);
        if (!current) throw notFound('delivery', dlv);
        const endpoint = await store.getEndpoint(org, current.endpointId);
        if (!endpoint?.enabled)
          throw conflict(`endpoint ${current.endpointId} is disabled or deleted`);
        const retried = await store.retryDelivery(org, dlv, clock.now());
        if (retried === undefined) throw notFound('delivery', dlv);
        if (retried === 'sending') throw conflict(`delivery ${dlv} is being sent right now`);
        wake();
        return reply.status(202).send(deliveryOut(retried));
      },
    );
  };
