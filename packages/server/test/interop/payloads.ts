/**
 * Valid payloads of the built-in event types (the seeds' examples), so these
 * tests keep passing once ingest validates payloads against the catalog.
 */
export function badgeUser(overrides: Record<string, unknown> = {}) {
  return {
    _id: '507f1f77bcf86cd799439011',
    _userId: '507f191e810c19729de860ea',
    _ownerId: '507f191e810c19729de860eb',
    _badgeId: '507f191e810c19729de860ec',
    creationDate: '2024-11-27T10:30:00.000Z',
    expires: '2025-11-27T10:30:00.000Z',
    disabled: false,
    expiryReminderSent: false,
    _lessonActiveIds: ['507f191e810c19729de860ed', '507f191e810c19729de860ee'],
    ruleData: {
      type: 'certification',
      name: 'Safety Training Certificate',
      description: 'Complete all safety training modules',
      validityDurationDays: 365,
    },
    createdAt: '2024-11-27T10:30:00.000Z',
    updatedAt: '2024-11-27T10:30:00.000Z',
    __v: 0,
    ...overrides,
  };
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
