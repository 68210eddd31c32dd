import { BADGE_USER_EXAMPLE } from '../../src/event-types/built-in/badge-user.ts';

/**
 * Valid payloads of the built-in event types, so these tests keep passing
 * once ingest validates payloads against the catalog. A BadgeUser is the
 * certificate_completed seed's own example (a copy), with `overrides`.
 */
export function badgeUser(overrides: Record<string, unknown> = {}) {
  return { ...structuredClone(BADGE_USER_EXAMPLE), ...overrides };
}

export function assessmentCompleted() {
  return {
    assessmentId: 'asm_01JD7Z4Q8M2K5N3P6R9T0V1W2X',
    session: { sessionId: 'ses_7f3a9c21', applicantId: 'applicant_5521' },
    completedAt: '2024-11-27T10:30:00.000Z',
    results: { score: 712, grade: 'B' },
    riskScore: { value: 0.18, band: 'low' },
    behaviouralInsights: [{ trait: 'conscientiousness', score: 0.82 }],
    trustIndicators: { trustScore: 0.93, attentionChecksPassed: true },
  };
}
