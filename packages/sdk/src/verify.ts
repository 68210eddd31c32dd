import { createHmac, timingSafeEqual } from 'node:crypto';
import { WebhookVerificationError } from './errors.ts';
import { type HeadersLike, readHeader } from './headers.ts';
import { SECRET_PREFIX, secretKey } from './secret.ts';

/** A `whsec_…` secret as Herald shows it, or the raw key bytes. */
export type WebhookSecret = string | Uint8Array;

export interface VerifyOptions {
  /** Largest distance, either way, between the request's timestamp and `now`. Default 300. */
  toleranceSeconds?: number;
  /** The receiver's current time (epoch ms or a Date); defaults to the system clock. */
  now?: number | Date;
}

/** A verified webhook: its identity from the headers and its parsed body. */
export interface WebhookEvent<P = unknown, T extends string = string> {
  /** `webhook-id`: the same on every retry of a delivery, so it is the idempotency key. */
  id: string;
  /** `webhook-event-type`; for senders that leave it out, the body's `type` or `event` field. */
  type: T;
  /** `webhook-timestamp`: when this attempt was signed. */
  timestamp: Date;
  /** `webhook-attempt` (1 for the first try), or null when the sender does not say. */
  attempt: number | null;
  /** The parsed JSON body. */
  payload: P;
}

export const DEFAULT_TOLERANCE_SECONDS = 300;

// Standard Webhooks names first; svix-* are the same headers under Svix's brand.
const ID = ['webhook-id', 'svix-id'];
const TIMESTAMP = ['webhook-timestamp', 'svix-timestamp'];
const SIGNATURE = ['webhook-signature', 'svix-signature'];

function required(headers: HeadersLike, names: string[]): string {
  for (const name of names) {
    const value = readHeader(headers, name)?.trim();
    if (value) return value;
  }
  throw new WebhookVerificationError('missing_header', `missing ${names[0]} header`, names[0]);
}

function keyOf(secret: WebhookSecret): Buffer {
  if (typeof secret !== 'string') {
    if (secret instanceof Uint8Array && secret.length > 0) return Buffer.from(secret);
  } else {
    const key = secretKey(secret.trim());
    if (key) return key;
  }
  throw new WebhookVerificationError(
    'invalid_secret',
    `the secret must be "${SECRET_PREFIX}" followed by base64, as Herald shows it`,
  );
}

// A NaN here (an unset environment variable through Number(), an invalid
// Date) would make every age comparison false, and any old request verify.
function nowSeconds(now: VerifyOptions['now']): number {
  const ms = now === undefined ? Date.now() : typeof now === 'number' ? now : now.getTime();
  if (!Number.isFinite(ms)) throw new RangeError(`options.now is not a valid time: ${String(now)}`);
  return Math.floor(ms / 1000);
}

function toleranceOf(seconds: number | undefined): number {
  if (seconds === undefined) return DEFAULT_TOLERANCE_SECONDS;
  if (Number.isNaN(seconds) || seconds < 0)
    throw new RangeError(`options.toleranceSeconds must be a number ≥ 0 (got ${seconds})`);
  return seconds;
}

/** The `v1` signatures in a `webhook-signature` header; throws when no entry is well formed. */
function v1Signatures(header: string): Buffer[] {
  const found: Buffer[] = [];
  let wellFormed = 0;
  // Entries are space-separated; a header sent twice arrives joined with ", "
  // (node:http, fetch), which leaves a comma after an entry: base64 never
  // ends with one, so it is dropped.
  for (const entry of header.split(/\s+/)) {
    const match = /^v(\d+[a-z]*),([A-Za-z0-9+/]+={0,2}),?$/.exec(entry);
    if (!match) continue;
    wellFormed++;
    // Other versions (v1a asymmetric, future ones) are someone else's business: skip, don't fail.
    if (match[1] === '1') found.push(Buffer.from(match[2], 'base64'));
  }
  if (wellFormed === 0) {
    throw new WebhookVerificationError(
      'malformed_signature',
      'webhook-signature holds no "v1,<base64>" entry',
      'webhook-signature',
    );
  }
  return found;
}

/**
 * Checks that a request was signed by Herald (or any Standard Webhooks sender)
 * with one of `secrets`, and returns its parsed body. Pass the body exactly as
 * received: the raw bytes or string, never a re-serialized object.
 *
 * Several secrets (or a header with several signatures, during a rotation)
 * verify when any pair matches. Throws a WebhookVerificationError.
 */
export function verify<E extends WebhookEvent = WebhookEvent>(
  body: string | Uint8Array,
  headers: HeadersLike,
  secrets: WebhookSecret | readonly WebhookSecret[],
  options: VerifyOptions = {},
): E {
  if (typeof body !== 'string' && !(body instanceof Uint8Array)) {
    throw new TypeError(
      'verify needs the raw request body (string or Buffer); a parsed object cannot be verified',
    );
  }
  const list = Array.isArray(secrets) ? secrets : [secrets as WebhookSecret];
  if (list.length === 0) throw new WebhookVerificationError('invalid_secret', 'no secret given');
  const keys = list.map(keyOf);

  const id = required(headers, ID);
  const timestampHeader = required(headers, TIMESTAMP);
  const signatureHeader = required(headers, SIGNATURE);

  if (!/^\d{1,15}$/.test(timestampHeader)) {
    throw new WebhookVerificationError(
      'invalid_timestamp',
      'webhook-timestamp must be whole seconds since the epoch',
      'webhook-timestamp',
    );
  }
  const timestamp = Number(timestampHeader);
  const tolerance = toleranceOf(options.toleranceSeconds);
  const now = nowSeconds(options.now);
  if (now - timestamp > tolerance) {
    throw new WebhookVerificationError(
      'timestamp_too_old',
      `webhook-timestamp is ${now - timestamp} s old; the tolerance is ${tolerance} s`,
    );
  }
  if (timestamp - now > tolerance) {
    throw new WebhookVerificationError(
      'timestamp_in_future',
      `webhook-timestamp is ${timestamp - now} s in the future; the tolerance is ${tolerance} s`,
    );
  }

  const signatures = v1Signatures(signatureHeader);
  const signed = Buffer.concat([Buffer.from(`${id}.${timestampHeader}.`), toBuffer(body)]);
  // Compare every pair in full: when a match is found says nothing about the secret.
  let matched = false;
  for (const key of keys) {
    const expected = createHmac('sha256', key).update(signed).digest();
    for (const signature of signatures) {
      if (signature.length === expected.length && timingSafeEqual(signature, expected)) {
        matched = true;
      }
    }
  }
  if (!matched) {
    throw new WebhookVerificationError(
      'no_matching_signature',
      'no signature matches: the body was changed or the secret is not the endpoint’s',
    );
  }

  let payload: unknown;
  try {
    payload = JSON.parse(toBuffer(body).toString('utf8'));
  } catch {
    throw new WebhookVerificationError('invalid_payload', 'the body is not valid JSON');
  }
  const attemptHeader = readHeader(headers, 'webhook-attempt');
  const attempt = attemptHeader && /^\d+$/.test(attemptHeader) ? Number(attemptHeader) : null;
  return {
    id,
    type: readHeader(headers, 'webhook-event-type') || typeFromBody(payload),
    timestamp: new Date(timestamp * 1000),
    attempt,
    payload,
  } as E;
}

function toBuffer(body: string | Uint8Array): Buffer {
  return typeof body === 'string' ? Buffer.from(body, 'utf8') : Buffer.from(body);
}

/** `type` (Standard Webhooks body) or `event` (envelope body), when a sender sets no type header. */
function typeFromBody(payload: unknown): string {
  if (payload !== null && typeof payload === 'object') {
    const { type, event } = payload as { type?: unknown; event?: unknown };
    if (typeof type === 'string') return type;
    if (typeof event === 'string') return event;
  }
  return '';
}
