/**
 * Why a request was refused. Stable strings: branch on them, log them, show them.
 *
 * - `missing_header`        a `webhook-id`, `webhook-timestamp` or `webhook-signature` header is absent or empty
 * - `invalid_timestamp`     `webhook-timestamp` is not whole seconds since the epoch
 * - `timestamp_too_old`     the timestamp is older than the tolerance (a replay, or a clock far behind)
 * - `timestamp_in_future`   the timestamp is further ahead than the tolerance
 * - `malformed_signature`   `webhook-signature` holds no `v<n>,<base64>` entry
 * - `no_matching_signature` no `v1` signature matches any of the secrets (tampered body, wrong secret)
 * - `invalid_secret`        a secret is not `whsec_` + base64 (a configuration mistake on the receiver)
 * - `invalid_payload`       the signature is good but the body is not JSON
 */
export type WebhookVerificationErrorCode =
  | 'missing_header'
  | 'invalid_timestamp'
  | 'timestamp_too_old'
  | 'timestamp_in_future'
  | 'malformed_signature'
  | 'no_matching_signature'
  | 'invalid_secret'
  | 'invalid_payload';

/** The one error `verify` throws; `code` says why. */
export class WebhookVerificationError extends Error {
  readonly code: WebhookVerificationErrorCode;
  /** The header at fault, for `missing_header`, `invalid_timestamp` and `malformed_signature`. */
  readonly header?: string;

  constructor(code: WebhookVerificationErrorCode, message: string, header?: string) {
    super(message);
    this.name = 'WebhookVerificationError';
    this.code = code;
    this.header = header;
  }
}
