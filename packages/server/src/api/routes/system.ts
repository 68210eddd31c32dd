import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import type { ApiDeps } from '../deps.ts';

/** Probes and metrics: unauthenticated, for load balancers and Prometheus. */
export const systemRoutes =
  ({ store, metrics, version }: ApiDeps): FastifyPluginAsyncTypebox =>
  async (app) => {
    const tags = ['system'];
    app.get(
      '/healthz',
      {
        schema: {
          tags,
          response: { 200: Type.Object({ status: Type.String(), version: Type.String() }) },
        },
      },
      async () => ({
        status: 'ok',
        version,
      }),
    );

    app.get('/readyz', { schema: { tags } }, async (_request, reply) => {
      try {
        await store.queueDepth();
        return { status: 'ready' };
      } catch {
        return reply
          .status(503)
          .send({ error: { code: 'WHK_ERR_NOT_READY', message: 'store unavailable' } });
      }
    });

    app.get('/metrics', { schema: { tags, hide: true } }, async (_request, reply) => {
      reply.type(metrics.registry.contentType);
      return metrics.registry.metrics();
    });
  };
