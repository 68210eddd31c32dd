import { randomBytes } from 'node:crypto';

export const SECRET_PREFIX = 'whsec_';

/** A fresh endpoint secret: `whsec_` + base64 of 32 random bytes (Standard Webhooks allows 24–64). */
export function generateSecret(): string {
  return SECRET_PREFIX + randomBytes(32).toString('base64');
}

/** The HMAC key behind a `whsec_` secret, or undefined when the secret is not well formed. */
export function secretKey(secret: string): Buffer | undefined {
  if (!secret.startsWith(SECRET_PREFIX)) return undefined;
  const encoded = secret.slice(SECRET_PREFIX.length);
  if (encoded.length === 0 || !/^[A-Za-z0-9+/]+={0,2}$/.test(encoded)) return undefined;
  const key = Buffer.from(encoded, 'base64');
  return key.length > 0 ? key : undefined;
}
