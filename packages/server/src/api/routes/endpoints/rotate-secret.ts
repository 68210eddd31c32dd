import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { generateSecret, secretKey } from '@herald/sdk';
import { Type } from '@sinclair/typebox';
import { notFound, validation } from '../../../domain/errors.ts';
import {
  DEFAULT_ROTATION_GRACE_MS,
  MAX_ROTATION_GRACE_MS,
} from '../../../domain/secret-rotation.ts';
import type { ApiDeps } from '../../deps.ts';
import { EndpointParams, errorResponses, iso, Timestamp } from '../../schemas.ts';

const RotateIn = Type.Object(
  {
    secret: Type.Optional(
      Type.String({
        pattern: '^whsec_[A-Za-z0-9+/]+={0,2}$',
        maxLength: 200,
        description: 'The new secret, if the caller chooses it: whsec_ + base64 of 24 to 64 bytes',
      }),
    ),
    gracePeriodMs: Type.Optional(
      Type.Integer({
        minimum: 0,
        maximum: MAX_ROTATION_GRACE_MS,
        description:
          'How long the replaced secret keeps signing (default 24 h; 0 stops it at once)',
      }),
    ),
  },
  { additionalProperties: false },
);

const RotateOut = Type.Object({
  secret: Type.String(),
  /** When requests stop carrying the replaced secret's signature; null when they already have. */
  previousSecretExpiresAt: Type.Union([Timestamp, Type.Null()]),
});

/** Standard Webhooks keys are 24 to 64 bytes. */
function checkedSecret(secret: string): string {
  const key = secretKey(secret);
  if (!key || key.length < 24 || key.length > 64) {
    throw validation('secret', 'must be "whsec_" followed by base64 of 24 to 64 bytes');
  }
  return secret;
}

/**
 * `POST …/endpoints/:ep/rotate-secret`: a new secret now, the old one still
 * signing alongside it for the grace period, so a receiver can switch without
 * refusing a single request.
 */
export const rotateSecretRoute =
  ({ store, clock }: ApiDeps): FastifyPluginAsyncTypebox =>
  async (app) => {
    app.post(
      '/v1/orgs/:org/endpoints/:ep/rotate-secret',
      {
        schema: {
          tags: ['endpoints'],
          summary: 'Rotate the signing secret, keeping the old one signing for a grace period',
          params: EndpointParams,
          body: Type.Optional(RotateIn),
          response: { 200: RotateOut, ...errorResponses },
        },
        // Every field is optional, so a POST with no body at all is a plain rotation.
        preValidation: async (request) => {
          if (request.body === undefined || request.body === null) request.body = {};
        },
      },
      async (request) => {
        const body = request.body ?? {};
        const now = clock.now();
        const current = await store.getEndpoint(request.params.org, request.params.ep);
        if (!current) throw notFound('endpoint', request.params.ep);
        const secret = body.secret === undefined ? generateSecret() : checkedSecret(body.secret);
        if (secret === current.secret) throw validation('secret', 'is already the current secret');
        const previousExpiresAt = now + (body.gracePeriodMs ?? DEFAULT_ROTATION_GRACE_MS);
        const rotated = await store.rotateEndpointSecret(
          current.orgId,
          current.id,
          { secret, previousExpiresAt },
          now,
        );
        if (!rotated) throw notFound('endpoint', request.params.ep);
        return {
          secret: rotated.secret,
          previousSecretExpiresAt: previousExpiresAt > now ? iso(previousExpiresAt) : null,
        };
      },
    );
  };
