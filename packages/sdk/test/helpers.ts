import { generateSecret, sign, WebhookVerificationError } from '../src/index.ts';

/** A correctly signed Herald-style request for `payload`, as Herald would send it. */
export function signedRequest(
  payload: unknown,
  options: {
    secret?: string | string[];
    id?: string;
    type?: string;
    attempt?: number;
    timestamp?: number;
  } = {},
) {
  const secret = options.secret ?? generateSecret();
  const body = typeof payload === 'string' ? payload : JSON.stringify(payload);
  const id = options.id ?? `evt_${Math.random().toString(36).slice(2)}`;
  const timestamp = options.timestamp ?? Math.floor(Date.now() / 1000);
  const headers: Record<string, string> = {
    'content-type': 'application/json',
    'webhook-id': id,
    'webhook-timestamp': String(timestamp),
    'webhook-signature': sign({ id, timestamp, body }, secret),
    'webhook-event-type': options.type ?? 'certificate_completed',
    'webhook-attempt': String(options.attempt ?? 1),
  };
  return { body, headers, secret, id };
}

export async function post(
  url: string,
  request: { body: string; headers: Record<string, string> },
) {
  const response = await fetch(url, {
    method: 'POST',
    body: request.body,
    headers: request.headers,
  });
  return { status: response.status, body: (await response.json()) as any };
}

export const certificate = {
  _id: '507f1f77bcf86cd799439011',
  _userId: '507f191e810c19729de860ea',
  _ownerId: '507f191e810c19729de860eb',
  _badgeId: '507f191e810c19729de860ec',
  creationDate: '2024-11-27T10:30:00.000Z',
  expires: '2025-11-27T10:30:00.000Z',
  disabled: false,
  expiryReminderSent: false,
  _lessonActiveIds: ['507f191e810c19729de860ed'],
  ruleData: {
    type: 'certification',
    name: 'Safety Training Certificate',
    validityDurationDays: 365,
  },
  createdAt: '2024-11-27T10:30:00.000Z',
  updatedAt: '2024-11-27T10:30:00.000Z',
  __v: 0,
};

/** What verify says of a request: its error code, or 'accepted'. */
export function codeOf(fn: () => unknown): string {
  try {
    fn();
  } catch (error) {
    if (error instanceof WebhookVerificationError) return error.code;
    throw error;
  }
  return 'accepted';
}
