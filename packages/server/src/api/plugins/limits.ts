import { maxHeaderSize, STATUS_CODES } from 'node:http';
import type { Duplex } from 'node:stream';
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

  // PostgreSQL's text and jsonb cannot hold U+0000: a NUL reaching a query
  // was a 500 there, and SQLite took it. Refused alike on both. An event's
  // payload is kept as JSON text, escapes included, so it may carry one.
  app.addHook('preValidation', async (request) => {
    const body = request.body as Record<string, unknown> | undefined;
    const { payload: _, ...rest } = body !== null && typeof body === 'object' ? body : {};
    const where =
      nulAt(request.params, 'params') ??
      nulAt(request.query, 'querystring') ??
      nulAt(Array.isArray(body) ? body : rest, 'body');
    if (where)
      throw new HeraldError('WHK_ERR_VALIDATION', 400, `${where}: must not contain U+0000`, {
        field: where.slice(where.indexOf('.') + 1),
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

  // Node's parser refuses more than maxHeadersCount headers as an overflow
  // (answered by clientErrors); one more than the limit lets the hook below
  // refuse the first excess header with the request's context.
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

/** The path (`body.a.b`) of the first string holding U+0000 in `value`, if any. */
function nulAt(value: unknown, path: string): string | undefined {
  if (typeof value === 'string') return value.includes('\u0000') ? path : undefined;
  if (value === null || typeof value !== 'object') return undefined;
  for (const [key, item] of Object.entries(value)) {
    const found = (key.includes('\u0000') && `${path}.${key}`) || nulAt(item, `${path}.${key}`);
    if (found) return found;
  }
  return undefined;
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
 * The router's longest path parameter: an event type's name (up to 200
 * characters) is one. The not-found handler checks against it too.
 */
export const MAX_PARAM_LENGTH = 200;

/**
 * Whether a URL that found no route has a path segment longer than a
 * parameter may be. The router reports that itself (FST_ERR_MAX_PARAM_LENGTH)
 * only when no other route could take the path; with the back office served,
 * its catch-all takes it and the request ends in the not-found handler.
 */
export const hasOverlongSegment = (url: string) =>
  url
    .split('?')[0]!
    .split('/')
    .some((segment) => segment.length > MAX_PARAM_LENGTH);

export const uriTooLong = (reply: FastifyReply, url: string) =>
  reply.status(414).send({
    error: {
      code: 'WHK_ERR_URI_TOO_LONG',
      message: `a path parameter over ${MAX_PARAM_LENGTH} characters in ${url.slice(0, 120)}…`,
    },
  });

/**
 * Errors the router raises before any hook runs (a malformed or overlong URL),
 * answered in Herald's shape instead of Fastify's.
 */
export function frameworkErrors(error: FastifyError, request: FastifyRequest, reply: FastifyReply) {
  if (error.code === 'FST_ERR_MAX_PARAM_LENGTH') return uriTooLong(reply, request.url);
  const code = error.code === 'FST_ERR_BAD_URL' ? 'WHK_ERR_BAD_URL' : 'WHK_ERR_BAD_REQUEST';
  return reply.status(400).send({ error: { code, message: error.message.slice(0, 200) } });
}

/**
 * Requests Node refuses before Fastify sees them (too many headers or too
 * many bytes of them, a request that timed out, malformed HTTP), answered in
 * Herald's shape instead of Fastify's default. A reset connection gets nothing.
 */
export const clientErrors = (maxHeaders: number) =>
  function clientError(error: NodeJS.ErrnoException, socket: Duplex): void {
    if (error.code === 'ECONNRESET' || socket.destroyed) return;
    // A response already under way on this connection (keep-alive) must not
    // get an error written into its stream; the connection just ends, as in
    // Node's own handler.
    const inFlight = (socket as Duplex & { _httpMessage?: { headersSent?: boolean } })._httpMessage;
    if (!socket.writable || inFlight?.headersSent) {
      socket.destroy();
      return;
    }
    const [status, code, message] =
      error.code === 'HPE_HEADER_OVERFLOW'
        ? [
            431,
            'WHK_ERR_TOO_MANY_HEADERS',
            `more than ${maxHeaders} request headers, or more than ${maxHeaderSize} bytes of them`,
          ]
        : error.code === 'ERR_HTTP_REQUEST_TIMEOUT'
          ? [408, 'WHK_ERR_REQUEST_TIMEOUT', 'the request did not arrive in time']
          : [400, 'WHK_ERR_BAD_REQUEST', 'malformed HTTP request'];
    const body = JSON.stringify({ error: { code, message } });
    socket.end(
      `HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\nContent-Type: application/json\r\n` +
        `Content-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
      // Destroyed, not only ended: a client ignoring the FIN (a slow one on
      // the 408 path above all) would otherwise keep the connection open.
      () => socket.destroy(),
    );
  };
