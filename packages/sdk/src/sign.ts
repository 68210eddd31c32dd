import { createHmac } from 'node:crypto';
import { secretKey } from './secret.ts';

export interface SignInput {
  /** `webhook-id`: the event id, stable across retries. */
  id: string;
  /** `webhook-timestamp`: seconds since the epoch. */
  timestamp: number;
  /** The exact bytes sent as the request body. */
  body: string | Uint8Array;
}

/**
 * Standard Webhooks signature: `v1,` + base64 HMAC-SHA256 of `id.timestamp.body`
 * keyed with the base64-decoded part of the `whsec_` secret. Several secrets
 * (a rotation in progress) give several space-separated signatures.
 */
export function sign(input: SignInput, secrets: string | readonly string[]): string {
  const list = typeof secrets === 'string' ? [secrets] : secrets;
  return list.map((secret) => signOne(input, secret)).join(' ');
}

function signOne({ id, timestamp, body }: SignInput, secret: string): string {
  const key = secretKey(secret);
  if (!key) throw new TypeError('secret must be "whsec_" followed by base64');
  const hmac = createHmac('sha256', key);
  hmac.update(`${id}.${timestamp}.`);
  hmac.update(body);
  return `v1,${hmac.digest('base64')}`;
}
