import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import Fastify, { type FastifyBaseLogger, type FastifyInstance, LogController } from 'fastify';
import type { ApiDeps } from './deps.ts';
import { authenticator } from './plugins/auth.ts';
import { registerErrorHandler } from './plugins/errors.ts';
import {
  clientErrors,
  frameworkErrors,
  MAX_PARAM_LENGTH,
  registerJsonLimits,
  registerRateLimit,
} from './plugins/limits.ts';
import { registerOpenApi } from './plugins/openapi.ts';
import { registerUi } from './plugins/ui.ts';
import { apiKeyRoutes } from './routes/api-keys/index.ts';
import { badgeRoutes } from './routes/badges/index.ts';
import { certificateRoutes } from './routes/certificates/index.ts';
import { deliveryRoutes } from './routes/deliveries/index.ts';
import { endpointRoutes } from './routes/endpoints/index.ts';
import { eventTypeRoutes } from './routes/event-types/index.ts';
import { eventRoutes } from './routes/events/index.ts';
import { meRoutes } from './routes/me/index.ts';
import { orgRoutes } from './routes/orgs/index.ts';
import { systemRoutes } from './routes/system.ts';

export interface RouteEntry {
  method: string;
  url: string;
}

declare module 'fastify' {
  interface FastifyInstance {
    /** Every route the API serves (tests walk them all: scoping, fuzzing). */
    heraldRoutes: RouteEntry[];
  }
}

export interface ApiOptions {
  logger: FastifyBaseLogger;
  bodyLimit: number;
  /** The built back office to serve at /; defaults to packages/ui/dist when present. */
  uiDir?: string;
}

/** The HTTP API. Everything under /v1 needs a bearer token. */
export async function buildApi(deps: ApiDeps, options: ApiOptions): Promise<FastifyInstance> {
  const app = Fastify({
    loggerInstance: options.logger,
    bodyLimit: options.bodyLimit,
    frameworkErrors,
    clientErrorHandler: clientErrors(deps.config.maxHeaders),
    routerOptions: { maxParamLength: MAX_PARAM_LENGTH },
    // Fastify turns Node's whole-request timeout off; a body trickled in a
    // byte at a time would then hold its connection for good. Any body Herald
    // accepts (bodyLimit) arrives well within a minute.
    requestTimeout: 60_000,
    // Per-request lines would dominate the log at ingest rates; errors are logged where they happen.
    logController: new LogController({ disableRequestLogging: true }),
    ajv: {
      customOptions: {
        removeAdditional: false,
        coerceTypes: true,
        useDefaults: true,
        discriminator: true,
        allErrors: false,
      },
    },
  }).withTypeProvider<TypeBoxTypeProvider>();

  const routes: RouteEntry[] = [];
  app.decorate('heraldRoutes', routes);
  app.addHook('onRoute', (route) => {
    for (const method of [route.method].flat()) routes.push({ method, url: route.url });
  });
  // The back office shares the port; unknown non-API pages fall back to its index.html.
  registerErrorHandler(app, await registerUi(app, options.uiDir));
  // JSON only: anything else is a 415, not a string handed to a schema.
  app.removeContentTypeParser(['text/plain']);
  registerJsonLimits(app, deps.config);
  await registerOpenApi(app, deps.version);
  await app.register(systemRoutes(deps));

  const authenticate = authenticator(deps.adminTokenHash, deps.store, deps.clock);
  await app.register(async (v1) => {
    v1.decorateRequest('principal');
    v1.addHook('onRequest', authenticate);
    await registerRateLimit(v1, {
      max: deps.config.apiRateLimit,
      windowMs: deps.config.apiRateLimitWindowMs,
    });
    await v1.register(meRoutes());
    await v1.register(orgRoutes(deps));
    await v1.register(endpointRoutes(deps));
    await v1.register(eventRoutes(deps));
    await v1.register(deliveryRoutes(deps));
    await v1.register(apiKeyRoutes(deps));
    await v1.register(eventTypeRoutes(deps));
    await v1.register(badgeRoutes(deps));
    await v1.register(certificateRoutes(deps));
  });
  return app;
}
