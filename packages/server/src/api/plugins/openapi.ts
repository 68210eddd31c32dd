import swagger from '@fastify/swagger';
import type { FastifyInstance } from 'fastify';

/** Collects every route's schema into an OpenAPI document, served at /openapi.json. */
export async function registerOpenApi(app: FastifyInstance, version: string): Promise<void> {
  await app.register(swagger, {
    openapi: {
      info: { title: 'Herald', description: 'Self-hosted webhook delivery', version },
      components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } } },
      security: [{ bearer: [] }],
    },
  });
  app.get('/openapi.json', { schema: { hide: true } }, async () => app.swagger());
}
