import type { FastifyError, FastifyInstance } from 'fastify';
import { HeraldError } from '../../domain/errors.ts';
import { isStoreUnavailable } from '../../store/unavailable.ts';
import { hasOverlongSegment, uriTooLong } from './limits.ts';
import type { AppShell } from './ui.ts';

/** Fastify's own error codes that are the caller's fault, with the Herald code each becomes. */
const FASTIFY_CODES: Record<string, { code: string; status: number }> = {
  FST_ERR_CTP_BODY_TOO_LARGE: { code: 'WHK_ERR_PAYLOAD_TOO_LARGE', status: 413 },
  FST_ERR_CTP_INVALID_MEDIA_TYPE: { code: 'WHK_ERR_UNSUPPORTED_MEDIA_TYPE', status: 415 },
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: { code: 'WHK_ERR_INVALID_BODY', status: 400 },
  FST_ERR_CTP_EMPTY_JSON_BODY: { code: 'WHK_ERR_INVALID_JSON', status: 400 },
  FST_ERR_CTP_INVALID_JSON_BODY: { code: 'WHK_ERR_INVALID_JSON', status: 400 },
  FST_ERR_CTP_EMPTY_TYPE: { code: 'WHK_ERR_UNSUPPORTED_MEDIA_TYPE', status: 415 },
};

export interface ErrorBody {
  error: { code: string; message: string; field?: string; details?: unknown };
}

function fieldOf(error: FastifyError): string | undefined {
  const first = error.validation?.[0];
  if (!first) return undefined;
  const missing = (first.params as { missingProperty?: string }).missingProperty;
  const extra = (first.params as { additionalProperty?: string }).additionalProperty;
  const path = first.instancePath.replace(/^\//, '').replaceAll('/', '.');
  const leaf = missing ?? extra;
  return [path, leaf].filter(Boolean).join('.') || undefined;
}

/** The one place errors become responses: `{ error: { code, message } }`, never a 500 for bad input. */
export function registerErrorHandler(app: FastifyInstance, appShell?: AppShell): void {
  app.setErrorHandler((error: FastifyError, request, reply) => {
    if (error instanceof HeraldError) {
      const body: ErrorBody = { error: { code: error.code, message: error.message } };
      if (error.field !== undefined) body.error.field = error.field;
      if (error.details !== undefined) body.error.details = error.details;
      return reply.status(error.statusCode).send(body);
    }
    if (error.validation) {
      const field = fieldOf(error);
      const where = error.validationContext ?? 'request';
      const message = field
        ? `${where}.${field}: ${error.validation[0].message}`
        : `${where} ${error.message}`;
      return reply.status(400).send({ error: { code: 'WHK_ERR_VALIDATION', message, field } });
    }
    const known = error.code ? FASTIFY_CODES[error.code] : undefined;
    if (known)
      return reply
        .status(known.status)
        .send({ error: { code: known.code, message: error.message } });
    if (error.statusCode && error.statusCode >= 400 && error.statusCode < 500) {
      return reply
        .status(error.statusCode)
        .send({ error: { code: 'WHK_ERR_BAD_REQUEST', message: error.message } });
    }
    // The database went away under the request (a restart, a failover): the
    // caller's retry will likely succeed, which a 500 does not say.
    if (isStoreUnavailable(error)) {
      request.log.warn({ err: error }, 'database unavailable');
      return reply
        .status(503)
        .header('retry-after', '1')
        .send({
          error: { code: 'WHK_ERR_NOT_READY', message: 'the database is unavailable; retry' },
        });
    }
    request.log.error({ err: error }, 'unhandled error');
    return reply
      .status(500)
      .send({ error: { code: 'WHK_ERR_INTERNAL', message: 'internal error' } });
  });

  app.setNotFoundHandler((request, reply) => {
    const shell = appShell?.(request, reply);
    if (shell) return shell;
    if (hasOverlongSegment(request.url)) return uriTooLong(reply, request.url);
    return reply.status(404).send({
      error: { code: 'WHK_ERR_NOT_FOUND', message: `no route ${request.method} ${request.url}` },
    });
  });
}
