import { buildRequest, type SenderIdentity } from '../../../delivery/request.ts';
import type { Attempt, Endpoint, HeraldEvent } from '../../../domain/types.ts';

export const REDACTED = '[redacted]';

/** Custom header names that usually carry a credential, redacted like the auth header. */
const SECRET_LOOKING = /auth|token|secret|key|password|cookie|session/i;

/**
 * The headers of an attempt's request, for the delivery detail. Herald does not
 * store requests, so they are rebuilt with the same code the sender uses, from
 * the endpoint's current settings and the attempt's number and start time.
 * Credentials (the auth header and secret-looking custom headers) are redacted.
 */
export function rebuiltRequestHeaders(
  event: HeraldEvent,
  endpoint: Endpoint,
  attempt: Attempt,
  identity: SenderIdentity,
): Record<string, string> {
  const { headers } = buildRequest(event, endpoint, attempt.number, attempt.startedAt, identity);
  const authName =
    endpoint.auth === null
      ? undefined
      : endpoint.auth.type === 'apiKey'
        ? endpoint.auth.header.toLowerCase()
        : 'authorization';
  const custom = new Set(Object.keys(endpoint.headers).map((name) => name.toLowerCase()));
  return Object.fromEntries(
    Object.entries(headers).map(([name, value]) => [
      name,
      name === authName || (custom.has(name) && SECRET_LOOKING.test(name)) ? REDACTED : value,
    ]),
  );
}
