import type { IncomingHttpHeaders } from 'node:http';
import { handleWebhook, type WebhookHandlerOptions } from './handler.ts';
import type { WebhookEvent } from './verify.ts';

/** The parts of a Fastify request the helper reads. */
export interface FastifyRequestLike {
  body: unknown;
  headers: IncomingHttpHeaders;
}

interface FastifyReplyLike {
  code(status: number): { send(payload: unknown): unknown };
}

/**
 * The parts of a Fastify instance the plugin uses. The SDK does not depend on
 * Fastify, and Fastify's overloaded signatures only fit a structural type whose
 * callback parameters are `any`.
 */
export interface FastifyInstanceLike {
  addContentTypeParser(
    contentType: string,
    options: { parseAs: 'buffer'; bodyLimit?: number },
    parser: (
      request: unknown,
      body: Buffer,
      done: (error: Error | null, body?: unknown) => void,
    ) => void,
  ): void;
  // biome-ignore lint/suspicious/noExplicitAny: see above
  post(path: string, handler: (request: any, reply: any) => Promise<unknown>): unknown;
}

export interface FastifyWebhookOptions<E extends WebhookEvent, R>
  extends WebhookHandlerOptions<E, { request: R }> {
  /** The route's path, e.g. `/webhooks/herald`. */
  path: string;
}

/**
 * A Fastify plugin adding `POST <path>`: `app.register(fastifyWebhook({ path, secret, onEvent }))`.
 * Inside the plugin's own scope JSON is kept as raw bytes (signatures are over
 * the bytes); the rest of the application keeps Fastify's JSON parser.
 */
export function fastifyWebhook<
  E extends WebhookEvent = WebhookEvent,
  R extends FastifyRequestLike = FastifyRequestLike,
>(options: FastifyWebhookOptions<E, R>): (app: FastifyInstanceLike) => Promise<void> {
  return async (app) => {
    app.addContentTypeParser(
      'application/json',
      { parseAs: 'buffer', bodyLimit: options.maxBodyBytes },
      (_request, body, done) => done(null, body),
    );
    app.post(options.path, async (request: R, reply: FastifyReplyLike) => {
      const body = request.body;
      const raw = typeof body === 'string' || body instanceof Uint8Array ? body : '';
      const result = await handleWebhook(raw, request.headers, options, { request });
      return reply.code(result.status).send(result.body);
    });
  };
}
