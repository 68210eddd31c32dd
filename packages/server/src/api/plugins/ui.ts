import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';

/** Where `npm run build -w @herald/ui` puts the back office. */
export const UI_DIST_DIR = fileURLToPath(new URL('../../../../ui/dist/', import.meta.url));

/** Paths that belong to the API: an unknown one there is a JSON 404, never the app's HTML. */
const API_PREFIXES = ['/v1', '/healthz', '/readyz', '/metrics', '/openapi.json', '/docs'];

const isApiPath = (url: string) =>
  API_PREFIXES.some(
    (prefix) => url === prefix || url.startsWith(`${prefix}/`) || url.startsWith(`${prefix}?`),
  );

/**
 * A browser navigating to a page of the single-page app (e.g. a reload on
 * /orgs/org_1/deliveries) gets index.html so the browser-side router can take
 * over. API clients, which don't ask for HTML, keep getting JSON 404s.
 */
export function wantsAppShell(request: FastifyRequest): boolean {
  if (request.method !== 'GET' && request.method !== 'HEAD') return false;
  if (!request.headers.accept?.includes('text/html')) return false;
  if (isApiPath(request.url)) return false;
  const path = request.url.split('?')[0];
  // A missing asset (/assets/x.js) stays a 404 rather than HTML the browser would try to run.
  return !/\.[a-z0-9]+$/i.test(path);
}

export type AppShell = (request: FastifyRequest, reply: FastifyReply) => FastifyReply | undefined;

/**
 * Serves the back office at / when it has been built. Hashed assets are cached
 * for good; index.html is revalidated so a new build is picked up at once.
 * Returns the app-shell responder for the not-found handler, or undefined when
 * there is no build (an API-only Herald).
 */
export async function registerUi(
  app: FastifyInstance,
  root = UI_DIST_DIR,
): Promise<AppShell | undefined> {
  if (!existsSync(`${root}/index.html`)) {
    app.log.info(
      { root },
      'back office not built (npm run build -w @herald/ui): serving the API only',
    );
    return undefined;
  }
  await app.register(fastifyStatic, {
    root,
    prefix: '/',
    index: ['index.html'],
    cacheControl: false,
    setHeaders(reply, path) {
      reply.header(
        'cache-control',
        path.includes('/assets/') ? 'public, max-age=31536000, immutable' : 'no-cache',
      );
    },
  });
  return (request, reply) => {
    if (!wantsAppShell(request)) return undefined;
    reply.header('cache-control', 'no-cache');
    return reply.type('text/html').sendFile('index.html');
  };
}
