import type { IncomingMessage, ServerResponse } from 'node:http';
import {
  DEFAULT_MAX_BODY_BYTES,
  type HandlerResult,
  handleWebhook,
  type WebhookHandlerOptions,
} from './handler.ts';
import type { WebhookEvent } from './verify.ts';

export interface NodeContext {
  req: IncomingMessage;
  res: ServerResponse;
}

class TooLarge extends Error {}

/** Reads a request body as bytes, refusing more than `limit`. */
export async function readBody(req: IncomingMessage, limit: number): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > limit) throw new TooLarge();
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

export function sendResult(res: ServerResponse, result: HandlerResult): void {
  res.writeHead(result.status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(result.body));
}

/** Reads the body unless a framework already did (as bytes or text), then runs the core. */
export async function respondTo<E extends WebhookEvent, C>(
  req: IncomingMessage & { body?: unknown },
  res: ServerResponse,
  options: WebhookHandlerOptions<E, C>,
  context: C,
): Promise<void> {
  let body: string | Uint8Array;
  if (typeof req.body === 'string' || req.body instanceof Uint8Array) {
    body = req.body;
  } else if (req.body !== undefined && req.body !== null && req.readableEnded) {
    // A JSON body parser ran first: the exact bytes are gone and nothing can be verified.
    throw new Error(
      'the request body was already parsed; mount the webhook route before express.json() or use express.raw({ type: "application/json", limit: "2mb" })',
    );
  } else {
    try {
      body = await readBody(req, options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES);
    } catch (error) {
      if (!(error instanceof TooLarge)) throw error;
      res.setHeader('connection', 'close');
      return sendResult(res, { status: 413, body: { error: 'payload_too_large' } });
    }
  }
  sendResult(res, await handleWebhook(body, req.headers, options, context));
}

/** A `node:http` request listener that verifies each request and passes the event on. */
export function createNodeHandler<E extends WebhookEvent = WebhookEvent>(
  options: WebhookHandlerOptions<E, NodeContext>,
): (req: IncomingMessage, res: ServerResponse) => Promise<void> {
  return async (req, res) => {
    try {
      await respondTo(req, res, options, { req, res });
    } catch (error) {
      try {
        (options.onError ?? console.error)(error, undefined);
      } catch (reporting) {
        // A failing onError must not become an unhandled rejection that ends the receiver.
        console.error('webhook onError failed:', reporting);
      }
      if (!res.headersSent) sendResult(res, { status: 500, body: { error: 'internal' } });
    }
  };
}
