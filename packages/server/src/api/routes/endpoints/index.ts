import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { generateSecret } from '@herald/sdk';
import { Type } from '@sinclair/typebox';
import { conflict, notFound } from '../../../domain/errors.ts';
import { IDEMPOTENCY_WINDOW_MS } from '../../../domain/idempotency.ts';
import { newId } from '../../../domain/ids.ts';
import type { ApiDeps } from '../../deps.ts';
import { requireOrg } from '../../org-scope.ts';
import {
  EndpointParams,
  errorResponses,
  OrgParams,
  PageQuery,
  pageOf,
  parseTimestamp,
  Timestamp,
} from '../../schemas.ts';
import { TEST_EVENT_TYPE, testPayload } from '../events/test-event.ts';
import { rotateSecretRoute } from './rotate-secret.ts';
import {
  EndpointIn,
  EndpointOut,
  EndpointPatchIn,
  endpointOut,
  STATS_WINDOWS,
  StatsOut,
  StatsQuery,
  windowOut,
} from './schemas.ts';
import { checkDestination, validateEndpointFields } from './validate.ts';

export const endpointRoutes =
  (deps: ApiDeps): FastifyPluginAsyncTypebox =>
  async (app) => {
    const { store, clock, wake, destinations } = deps;
    const tags = ['endpoints'];
    const schema = <T extends object>(extra: T) => ({ tags, ...extra });

    async function load(orgId: string, id: string) {
      const endpoint = await store.getEndpoint(orgId, id);
      if (!endpoint) throw notFound('endpoint', id);
      return endpoint;
    }

    app.addHook('preHandler', async (request) => {
      const { org } = request.params as { org?: string };
      if (org !== undefined) await requireOrg(store, request, org);
    });
    await app.register(rotateSecretRoute(deps));

    app.post(
      '/v1/orgs/:org/endpoints',
      {
        schema: schema({
          params: OrgParams,
          body: EndpointIn,
          response: { 201: EndpointOut, ...errorResponses },
        }),
      },
      async (request, reply) => {
        const body = request.body;
        validateEndpointFields(body);
        await checkDestination(destinations, body.url);
        const now = clock.now();
        const endpoint = await store.createEndpoint(
          {
            id: newId('ep', now),
            orgId: request.params.org,
            name: body.name,
            url: body.url,
            eventTypes: body.eventTypes ?? null,
            enabled: body.enabled,
            auth: body.auth ?? null,
            headers: body.headers ?? {},
            timeoutMs: body.timeoutMs,
            maxConcurrency: body.maxConcurrency,
            retryPolicy: body.retryPolicy,
            payloadFormat: body.payloadFormat,
            rateLimitPerSecond: body.rateLimitPerSecond ?? null,
            ordering: body.ordering,
            secret: generateSecret(),
          },
          now,
        );
        return reply.status(201).send(endpointOut(endpoint, { withSecret: true }));
      },
    );

    app.get(
      '/v1/orgs/:org/endpoints',
      {
        schema: schema({
          params: OrgParams,
          querystring: PageQuery,
          response: { 200: pageOf(EndpointOut), ...errorResponses },
        }),
      },
      async (request) => {
        const page = await store.listEndpoints(request.params.org, request.query);
        return {
          data: page.data.map((endpoint) => endpointOut(endpoint)),
          nextCursor: page.nextCursor,
        };
      },
    );

    app.get(
      '/v1/orgs/:org/endpoints/:ep',
      {
        schema: schema({
          params: EndpointParams,
          response: { 200: EndpointOut, ...errorResponses },
        }),
      },
      async (request) => endpointOut(await load(request.params.org, request.params.ep)),
    );

    app.patch(
      '/v1/orgs/:org/endpoints/:ep',
      {
        schema: schema({
          params: EndpointParams,
          body: EndpointPatchIn,
          response: { 200: EndpointOut, ...errorResponses },
        }),
      },
      async (request) => {
        validateEndpointFields(request.body);
        if (request.body.url !== undefined) await checkDestination(destinations, request.body.url);
        const updated = await store.updateEndpoint(
          request.params.org,
          request.params.ep,
          request.body,
          clock.now(),
        );
        if (!updated) throw notFound('endpoint', request.params.ep);
        if (updated.enabled) wake();
        return endpointOut(updated);
      },
    );

    app.delete(
      '/v1/orgs/:org/endpoints/:ep',
      {
        schema: schema({
          params: EndpointParams,
          response: { 204: Type.Null(), ...errorResponses },
        }),
      },
      async (request, reply) => {
        if (!(await store.deleteEndpoint(request.params.org, request.params.ep, clock.now()))) {
          throw notFound('endpoint', request.params.ep);
        }
        return reply.status(204).send(null);
      },
    );

    app.get(
      '/v1/orgs/:org/endpoints/:ep/secret',
      {
        schema: schema({
          params: EndpointParams,
          response: { 200: Type.Object({ secret: Type.String() }), ...errorResponses },
        }),
      },
      async (request) => ({ secret: (await load(request.params.org, request.params.ep)).secret }),
    );

    app.get(
      '/v1/orgs/:org/endpoints/:ep/stats',
      {
        schema: schema({
          params: EndpointParams,
          querystring: StatsQuery,
          response: { 200: StatsOut, ...errorResponses },
        }),
      },
      async (request) => {
        const { org, ep } = request.params;
        await load(org, ep);
        const stats = await store.endpointStats(org, ep);
        const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());
        const name = request.query.window;
        let window: ReturnType<typeof windowOut> | undefined;
        if (name !== undefined) {
          const { ms, bucketMs } = STATS_WINDOWS[name];
          // Whole buckets, so a bar always covers the same clock span and refreshes don't shift it.
          const until = Math.floor(clock.now() / bucketMs) * bucketMs + bucketMs;
          const activity = await store.endpointActivity(org, ep, {
            since: until - ms,
            until,
            bucketMs,
          });
          window = windowOut(name, activity);
        }
        return {
          ...stats,
          lastSuccessAt: iso(stats.lastSuccessAt),
          lastFailureAt: iso(stats.lastFailureAt),
          ...(window ? { window } : {}),
        };
      },
    );

    app.post(
      '/v1/orgs/:org/endpoints/:ep/test',
      {
        schema: schema({
          params: EndpointParams,
          response: {
            202: Type.Object({ eventId: Type.String(), deliveries: Type.Integer() }),
            ...errorResponses,
          },
        }),
      },
      async (request, reply) => {
        const endpoint = await load(request.params.org, request.params.ep);
        if (!endpoint.enabled) throw conflict(`endpoint ${endpoint.id} is disabled`);
        const now = clock.now();
        const id = newId('evt', now);
        const result = await store.ingest({
          event: {
            id,
            orgId: endpoint.orgId,
            type: TEST_EVENT_TYPE,
            payloadJson: JSON.stringify(testPayload(endpoint, id, now)),
            idempotencyKey: null,
            createdAt: now,
          },
          onlyEndpointId: endpoint.id,
          idempotencyWindowMs: IDEMPOTENCY_WINDOW_MS,
        });
        wake();
        return reply.status(202).send({ eventId: id, deliveries: result.deliveries });
      },
    );

    app.post(
      '/v1/orgs/:org/endpoints/:ep/recover',
      {
        schema: schema({
          params: EndpointParams,
          body: Type.Object({ since: Timestamp }, { additionalProperties: false }),
          response: { 202: Type.Object({ recovered: Type.Integer() }), ...errorResponses },
        }),
      },
      async (request, reply) => {
        const endpoint = await load(request.params.org, request.params.ep);
        // As a retry: recovered deliveries of a disabled endpoint would wait, pending, for good.
        if (!endpoint.enabled) throw conflict(`endpoint ${endpoint.id} is disabled`);
        const since = parseTimestamp(request.body.since, 'since');
        const recovered = await store.recoverEndpoint(
          endpoint.orgId,
          endpoint.id,
          since,
          clock.now(),
        );
        if (recovered > 0) wake();
        return reply.status(202).send({ recovered });
      },
    );
  };
