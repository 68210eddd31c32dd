import type { IncomingMessage, ServerResponse } from 'node:http';
import type { WebhookHandlerOptions } from './handler.ts';
import { respondTo } from './node.ts';
import type { WebhookEvent } from './verify.ts';

/** The parts of Express's request and response the helper touches (Express's own types fit). */
export type ExpressRequest = IncomingMessage & { body?: unknown };
export type ExpressResponse = ServerResponse;

export interface ExpressContext<Req = ExpressRequest, Res = ExpressResponse> {
  req: Req;
  res: Res;
}

/**
 * Express middleware: `app.post('/webhooks', expressWebhook({ secret, onEvent }))`.
 * It reads the raw body itself; mount it before `express.json()`, or behind
 * `express.raw({ type: 'application/json', limit: '2mb' })` (its default limit,
 * 100 KiB, is below what Herald sends). Unexpected failures go to `next`.
 */
export function expressWebhook<
  E extends WebhookEvent = WebhookEvent,
  Req extends ExpressRequest = ExpressRequest,
  Res extends ExpressResponse = ExpressResponse,
>(
  options: WebhookHandlerOptions<E, ExpressContext<Req, Res>>,
): (req: Req, res: Res, next: (error?: unknown) => void) => void {
  return (req, res, next) => {
    respondTo(req, res, options, { req, res }).catch(next);
  };
}
