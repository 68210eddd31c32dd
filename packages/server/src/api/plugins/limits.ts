import rateLimit from '@fastify/rate-limit';
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { HeraldError } from '../../domain/errors.ts';

export interface LimitSettings {
  /** Deepest nesting of objects and arrays a JSON body may have. */
  maxJsonDepth: number;
  /** Most request headers; more is a 431. */
  maxHeaders: number;
}

/**
 * True when `text` nests objects/arrays deeper than `max`. One pass over the
 * characters, before parsing: a body of ten thousand `[` is refused without
 * building anything (and without the recursion a validator would do on it).
 */
export function jsonDepthExceeds(text: string, max: number): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 92)
        i++; // a backslash escapes the next character
      else if (c === 34) inString = false;
    } else if (c === 34) inString = true;
    else if (c === 123 || c === 91) {
      if (++depth > max) return true;
    } else if (c === 125 || c === 93) depth--;
  }
  return false;
}

/**
 * The JSON body parser with Herald's limits: nesting depth, and prototype
 * pollution keys (`__proto__`, `constructor.prototype`) refused, each with a
 * stable error code instead of Fastify's.
 */
export function registerJsonLimits(app: FastifyInstance, settings: LimitSettings): void {
  const parseJson = app.getDefaultJsonParser('error', 'error');
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (request, body, done) => {
    const text = body as string;
    if (jsonDepthExceeds(text, settings.maxJsonDepth)) {
      done(
        new HeraldError(
          'WHK_ERR_JSON_TOO_DEEP',
          400,
          `the JSON body nests deeper than ${settings.maxJsonDepth} levels`,
        ),
        undefined,
      );
      return;
    }
    parseJson(request, text, (error, parsed) => {
      if (error && !(error as { code?: string }).code) {
        done(
          new HeraldError('WHK_ERR_INVALID_JSON', 400, `invalid JSON: ${error.message}`),
          undefined,
        );
      } else done(error, parsed);
    });
  });

  // Ajv coerces a query string `1e999` to Infinity and then lets it through
  // its own minimum/maximum checks; no query parameter may be non-finite.
  app.addHook('preHandler', async (request) => {
    for (const [name, value] of Object.entries((request.query ?? {}) as Record<string, unknown>)) {
      if ([value].flat().some((v) => typeof v === 'number' && !Number.isFinite(v)))
        throw new HeraldError('WHK_ERR_VALIDATION', 400, `querystring.${name}: must be finite`, {
          field: name,
        });
    }
  });

  // Node keeps at most maxHeadersCount headers and drops the rest silently;
  // one more than the limit lets the hook below see the excess and refuse it.
  app.server.maxHeadersCount = settings.maxHeaders + 1;
  app.addHook('onRequest', async (request) => {
    if (request.raw.rawHeaders.length / 2 > settings.maxHeaders)
      throw new HeraldError(
        'WHK_ERR_TOO_MANY_HEADERS',
        431,
        `more than ${settings.maxHeaders} request headers`,
      );
  });
}

/**
 * The per-key API rate limit: each organization key (and each unauthenticated
 * address) gets `max` requests per window; the admin token is the operator's
 * and is not limited. 429 with Retry-After and `WHK_ERR_RATE_LIMITED`.
 */
export async function registerRateLimit(
  scope: FastifyInstance,
  settings: { max: number; windowMs: number },
): Promise<void> {
  if (settings.max <= 0) return;
  await scope.register(rateLimit, {
    max: settings.max,
    timeWindow: settings.windowMs,
    allowList: (request: FastifyRequest) => request.principal?.kind === 'admin',
    keyGenerator: (request: FastifyRequest) =>
      request.principal?.kind === 'org' ? `key:${request.principal.keyId}` : `ip:${request.ip}`,
    errorResponseBuilder: (_request, context) =>
      new HeraldError(
        'WHK_ERR_RATE_LIMITED',
        429,
        `rate limit of ${context.max} requests per ${settings.windowMs} ms exceeded; retry in ${context.after}`,
      ),
  });
}

/**
 * Errors the router raises before any hook runs (a malformed or overlong URL),
 * answered in Herald's shape instead of Fastify's.
 */
export function frameworkErrors(
  error: FastifyError,
  _request: FastifyRequest,
  reply: FastifyReply,
) {
  const [status, code] =
    error.code === 'FST_ERR_MAX_PARAM_LENGTH'
      ? [414, 'WHK_ERR_URI_TOO_LONG']
      : error.code === 'FST_ERR_BAD_URL'
        ? [400, 'WHK_ERR_BAD_URL']
        : [400, 'WHK_ERR_BAD_REQUEST'];
  return reply.status(status).send({ error: { code, message: error.message.slice(0, 200) } });
}
