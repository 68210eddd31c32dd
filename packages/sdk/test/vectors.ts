/**
 * The Standard Webhooks test vector (from the specification's reference
 * libraries): this secret, id, timestamp and body sign to `SIGNATURE`.
 */
export const VECTOR = {
  secret: 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw',
  id: 'msg_p5jXN8AQM9LWM0D4loKWxJek',
  timestamp: 1614265330,
  body: '{"test": 2432232314}',
  signature: 'v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=',
} as const;

export const vectorHeaders = (overrides: Record<string, string | undefined> = {}) => {
  const headers: Record<string, string | undefined> = {
    'webhook-id': VECTOR.id,
    'webhook-timestamp': String(VECTOR.timestamp),
    'webhook-signature': VECTOR.signature,
    ...overrides,
  };
  for (const key of Object.keys(headers)) if (headers[key] === undefined) delete headers[key];
  return headers as Record<string, string>;
};

/** "now" for the vector: the moment it was signed, in ms. */
export const VECTOR_NOW = VECTOR.timestamp * 1000;
