import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { awardCertificate } from '../../../certificates/award.ts';
import { badgeUserDocument } from '../../../certificates/badge-user.ts';
import { certificateStatus } from '../../../certificates/status.ts';
import { notFound } from '../../../domain/errors.ts';
import type { ApiDeps } from '../../deps.ts';
import { requireOrg } from '../../org-scope.ts';
import { errorResponses, OrgParams, pageOf } from '../../schemas.ts';
import {
  BadgeUserOut,
  CertificateIn,
  CertificateListItem,
  CertificateParams,
  CertificateQuery,
} from './schemas.ts';

const DAY = 24 * 60 * 60 * 1000;

/** Certificates (BadgeUser documents): awarding publishes, revoking disables. */
export const certificateRoutes =
  ({ store, clock, config, wake, metrics }: ApiDeps): FastifyPluginAsyncTypebox =>
  async (app) => {
    const tags = ['certificates'];

    app.addHook('preHandler', async (request) => {
      await requireOrg(store, request, (request.params as { org: string }).org);
    });

    app.post(
      '/v1/orgs/:org/certificates',
      {
        schema: {
          tags,
          params: OrgParams,
          body: CertificateIn,
          response: { 201: BadgeUserOut, ...errorResponses },
        },
      },
      async (request, reply) => {
        const org = await requireOrg(store, request, request.params.org);
        const { certificate, deliveries } = await awardCertificate(
          store,
          org,
          request.body,
          clock.now(),
        );
        metrics.eventsIngested.inc(2);
        if (deliveries > 0) wake();
        return reply.status(201).send(badgeUserDocument(certificate));
      },
    );

    app.get(
      '/v1/orgs/:org/certificates',
      {
        schema: {
          tags,
          params: OrgParams,
          querystring: CertificateQuery,
          response: { 200: pageOf(CertificateListItem), ...errorResponses },
        },
      },
      async (request) => {
        const { user, badge, status, cursor, limit } = request.query;
        const now = clock.now();
        const expiringWithinMs = config.certificateReminderDays * DAY;
        const page = await store.listCertificates(
          request.params.org,
          { userId: user, badgeId: badge, status, now, expiringWithinMs },
          { cursor, limit },
        );
        return {
          data: page.data.map((certificate) => ({
            ...badgeUserDocument(certificate),
            status: certificateStatus(certificate, now, expiringWithinMs),
          })),
          nextCursor: page.nextCursor,
        };
      },
    );

    app.get(
      '/v1/orgs/:org/certificates/:id',
      {
        schema: {
          tags,
          params: CertificateParams,
          response: { 200: BadgeUserOut, ...errorResponses },
        },
      },
      async (request) => {
        const certificate = await store.getCertificate(request.params.org, request.params.id);
        if (!certificate) throw notFound('certificate', request.params.id);
        return badgeUserDocument(certificate);
      },
    );

    app.post(
      '/v1/orgs/:org/certificates/:id/revoke',
      {
        schema: {
          tags,
          params: CertificateParams,
          response: { 200: BadgeUserOut, ...errorResponses },
        },
      },
      async (request) => {
        const { org, id } = request.params;
        const certificate = await store.revokeCertificate(org, id, clock.now());
        if (!certificate) throw notFound('certificate', id);
        return badgeUserDocument(certificate);
      },
    );
  };
