import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { conflict, notFound } from '../../../domain/errors.ts';
import type { JsonSchema } from '../../../event-types/types.ts';
import type { ApiDeps } from '../../deps.ts';
import { requireAdmin } from '../../plugins/auth.ts';
import { ErrorResponse, errorResponses } from '../../schemas.ts';
import {
  EventTypeIn,
  EventTypeOut,
  EventTypeParams,
  EventTypePatchIn,
  eventTypeOut,
} from './schemas.ts';

const writeErrors = { ...errorResponses, 403: ErrorResponse, 409: ErrorResponse };

/** The event-type catalog: every caller reads it, only the admin edits it. */
export const eventTypeRoutes =
  ({ store, clock, catalog }: ApiDeps): FastifyPluginAsyncTypebox =>
  async (app) => {
    const tags = ['event types'];

    /** The schema must compile and the example, when given, must satisfy it. */
    function checkDefinition(schema: JsonSchema | null, example: unknown) {
      if (schema !== null) catalog.validator.checkDefinition(schema, example);
    }

    app.post(
      '/v1/event-types',
      { schema: { tags, body: EventTypeIn, response: { 201: EventTypeOut, ...writeErrors } } },
      async (request, reply) => {
        requireAdmin(request, 'edit the event-type catalog');
        const {
          name,
          description = '',
          schema = null,
          example = null,
          deprecated = false,
        } = request.body;
        checkDefinition(schema, example);
        const created = await store.createEventType(
          { name, description, schema, example, deprecated },
          clock.now(),
        );
        if (!created) throw conflict(`event type ${name} already exists`);
        return reply.status(201).send(eventTypeOut(created));
      },
    );

    app.get(
      '/v1/event-types',
      {
        schema: {
          tags,
          querystring: Type.Object({ deprecated: Type.Optional(Type.Boolean()) }),
          response: {
            200: Type.Object({
              data: Type.Array(EventTypeOut),
              nextCursor: Type.Union([Type.String(), Type.Null()]),
            }),
            ...errorResponses,
          },
        },
      },
      async (request) => {
        // The catalog is tens of types: one page, shaped like every other list.
        const all = await store.listEventTypes();
        const { deprecated } = request.query;
        const shown =
          deprecated === undefined ? all : all.filter((t) => t.deprecated === deprecated);
        return { data: shown.map(eventTypeOut), nextCursor: null };
      },
    );

    app.get(
      '/v1/event-types/:name',
      {
        schema: {
          tags,
          params: EventTypeParams,
          response: { 200: EventTypeOut, ...errorResponses },
        },
      },
      async (request) => {
        const type = await store.getEventType(request.params.name);
        if (!type) throw notFound('event type', request.params.name);
        return eventTypeOut(type);
      },
    );

    app.patch(
      '/v1/event-types/:name',
      {
        schema: {
          tags,
          params: EventTypeParams,
          body: EventTypePatchIn,
          response: { 200: EventTypeOut, ...writeErrors },
        },
      },
      async (request) => {
        requireAdmin(request, 'edit the event-type catalog');
        const { name } = request.params;
        const current = await store.getEventType(name);
        if (!current) throw notFound('event type', name);
        const patch = request.body;
        checkDefinition(
          patch.schema === undefined ? current.schema : patch.schema,
          patch.example === undefined ? current.example : patch.example,
        );
        const updated = await store.updateEventType(name, patch, clock.now());
        if (!updated) throw notFound('event type', name);
        return eventTypeOut(updated);
      },
    );
  };
