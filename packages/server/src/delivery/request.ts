import { sign } from '@herald/sdk';
import { renderBody } from '../domain/payload-format.ts';
import { signingSecrets } from '../domain/secret-rotation.ts';
import type { Endpoint, EndpointAuth, HeraldEvent } from '../domain/types.ts';

export interface OutboundRequest {
  url: string;
  headers: Record<string, string>;
  body: string;
}

/** Header names a custom header may not replace: they carry the signature and the body's framing. */
export const RESERVED_HEADERS = new Set([
  'content-type',
  'content-length',
  'host',
  'connection',
  'transfer-encoding',
  'webhook-id',
  'webhook-timestamp',
  'webhook-signature',
  'webhook-event-type',
  'webhook-attempt',
]);

function authHeader(auth: EndpointAuth): [string, string] {
  switch (auth.type) {
    case 'bearer':
      return ['authorization', `Bearer ${auth.token}`];
    case 'basic':
      return [
        'authorization',
        `Basic ${Buffer.from(`${auth.username}:${auth.password}`).toString('base64')}`,
      ];
    case 'apiKey':
      return [auth.header.toLowerCase(), auth.value];
  }
}

/** Who the requests say they come from: their user-agent and x-webhook-source. */
export interface SenderIdentity {
  userAgent: string;
  source: string;
}

/**
 * The exact request for one attempt. The body is rendered and signed once per
 * attempt; the timestamp is the attempt's, so a retry is never refused as stale.
 * During a secret rotation it carries one signature per secret still signing.
 */
export function buildRequest(
  event: HeraldEvent,
  endpoint: Endpoint,
  attemptNumber: number,
  now: number,
  identity: SenderIdentity,
): OutboundRequest {
  const body = renderBody(event, endpoint.payloadFormat);
  const timestamp = Math.floor(now / 1000);
  const headers: Record<string, string> = {
    'user-agent': identity.userAgent,
    'x-webhook-source': identity.source,
  };
  for (const [name, value] of Object.entries(endpoint.headers)) headers[name.toLowerCase()] = value;
  if (endpoint.auth) {
    const [name, value] = authHeader(endpoint.auth);
    headers[name] = value;
  }
  Object.assign(headers, {
    'content-type': 'application/json',
    'webhook-id': event.id,
    'webhook-timestamp': String(timestamp),
    'webhook-signature': sign({ id: event.id, timestamp, body }, signingSecrets(endpoint, now)),
    'webhook-event-type': event.type,
    'webhook-attempt': String(attemptNumber),
  });
  return { url: endpoint.url, headers, body };
}
