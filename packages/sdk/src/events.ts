import type { WebhookEvent } from './verify.ts';

/** A MongoDB ObjectId as the platforms send it: 24 hex characters. */
export type ObjectIdString = string;
/** An ISO 8601 date-time string, e.g. `2024-11-27T10:30:00.000Z`. */
export type IsoDateString = string;

/**
 * `certificate_completed`, `certificate_expiring` and `certificate_expired`
 * (raw format): the BadgeUser document, field for field.
 */
export interface BadgeUserCertificate {
  _id: ObjectIdString;
  _userId: ObjectIdString;
  /** The organization that owns the badge. */
  _ownerId: ObjectIdString;
  /** The badge definition this certificate instantiates. */
  _badgeId: ObjectIdString;
  /** When the user met the certificate's requirements. */
  creationDate: IsoDateString;
  /** null when the certificate never expires. */
  expires: IsoDateString | null;
  /** true once revoked. */
  disabled: boolean;
  expiryReminderSent: boolean;
  /** The lesson activities that validated the certificate. */
  _lessonActiveIds: ObjectIdString[];
  ruleData: {
    type: string;
    name: string;
    description?: string;
    validityDurationDays?: number | null;
    [field: string]: unknown;
  };
  createdAt: IsoDateString;
  updatedAt: IsoDateString;
  /** Mongoose's version key; the catalog does not require it. */
  __v?: number;
}

/** `certificate.created`: the certificate object of the Seably API. */
export interface SeablyCertificate {
  type: 'certificate';
  /** Workspace-sequential: `SB-` + 8 digits. */
  id: string;
  /** The BadgeUser `_id` this certificate was issued from. */
  badgeUserId?: ObjectIdString;
  status?: 'valid' | 'expired' | 'revoked';
  user: { id: string; name?: string; email?: string };
  course: { id: string; name: string; description?: string };
  awardedBy?: 'completion' | 'automatic' | 'admin';
  issuedAt: IsoDateString;
  /** null when the certificate never expires. */
  expiresAt: IsoDateString | null;
  createdAt?: IsoDateString;
  [field: string]: unknown;
}

/** The `envelope` payload format: `{ event, payload: { data } }`. */
export interface Envelope<T extends string = string, D = unknown> {
  event: T;
  payload: { data: D };
}

/** What a Seably-style receiver gets for a new certificate (an `envelope` endpoint). */
export type SeablyCertificateEnvelope = Envelope<'certificate.created', SeablyCertificate>;

/** The `standard` payload format: `{ type, timestamp, data }`. */
export interface StandardPayload<T extends string = string, D = unknown> {
  type: T;
  timestamp: IsoDateString;
  data: D;
}

/** A score between 0 and 1. */
export type UnitScore = number;

/** `assessment.completed`: an applicant finished an assessment and it was scored (Begini). */
export interface AssessmentCompleted {
  assessmentId: string;
  /** Session identifiers, to join the result back to the application. */
  session: {
    sessionId: string;
    applicationId?: string;
    applicantId?: string;
    externalReference?: string;
  };
  completedAt: IsoDateString;
  results: {
    score: number;
    grade?: string;
    modules?: { name: string; score: number }[];
  };
  riskScore: { value: UnitScore; band: 'low' | 'medium' | 'high' };
  behaviouralInsights: { trait: string; score: UnitScore; summary?: string }[];
  trustIndicators: {
    trustScore: UnitScore;
    attentionChecksPassed?: boolean;
    deviceConsistent?: boolean;
    completionTimeSeconds?: number;
    flags?: string[];
  };
}

/** `webhook.test`: what `POST …/endpoints/:ep/test` sends. */
export interface TestEventPayload {
  type: 'webhook.test';
  message: string;
  endpointId: string;
  eventId: string;
  sentAt: IsoDateString;
}

/**
 * `endpoint.disabled`: Herald disabled one of the organization's endpoints on
 * its own (a 410 Gone answer, or the auto-disable rules).
 */
export interface EndpointDisabledPayload {
  endpointId: string;
  orgId: string;
  /** The endpoint's name and URL when it was disabled. */
  name: string;
  url: string;
  reason: 'gone' | 'failing_too_long' | 'too_many_failures';
  disabledAt: IsoDateString;
  /** When the run of failed attempts began; null if there was none. */
  failingSince: IsoDateString | null;
  counts: {
    /** Failed attempts since the last successful one. */
    consecutiveFailedAttempts: number;
    /** Deliveries that ended `failed` since the last successful attempt. */
    consecutiveFailedDeliveries: number;
    /** Pending deliveries cancelled by the disabling. */
    cancelledDeliveries: number;
  };
}

/** The built-in event types and their payloads in the `raw` format. */
export interface HeraldEventPayloads {
  certificate_completed: BadgeUserCertificate;
  certificate_expiring: BadgeUserCertificate;
  certificate_expired: BadgeUserCertificate;
  'certificate.created': SeablyCertificate;
  'assessment.completed': AssessmentCompleted;
  'webhook.test': TestEventPayload;
  'endpoint.disabled': EndpointDisabledPayload;
}

export type HeraldEventType = keyof HeraldEventPayloads;

/**
 * A verified built-in event of a `raw` endpoint, discriminated by `type`:
 * `verify<HeraldWebhookEvent>(…)`, then `switch (event.type)` narrows the payload.
 */
export type HeraldWebhookEvent = {
  [K in HeraldEventType]: WebhookEvent<HeraldEventPayloads[K], K>;
}[HeraldEventType];

/** The same for an `envelope` endpoint: the payload arrives wrapped. */
export type HeraldEnvelopeEvent = {
  [K in HeraldEventType]: WebhookEvent<Envelope<K, HeraldEventPayloads[K]>, K>;
}[HeraldEventType];

/** The same for a `standard` endpoint. */
export type HeraldStandardEvent = {
  [K in HeraldEventType]: WebhookEvent<StandardPayload<K, HeraldEventPayloads[K]>, K>;
}[HeraldEventType];
