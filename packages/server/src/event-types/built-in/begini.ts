import type { EventTypeSeed } from '../types.ts';

const dateTime = { type: 'string', format: 'date-time' };
const unit = { type: 'number', minimum: 0, maximum: 1 };

/** Begini's assessment result (seed 003): results, risk score, behavioural insights, trust indicators, session ids. */
export const ASSESSMENT_SCHEMA = {
  $schema: 'https://json-schema.org/draft/2020-12/schema',
  title: 'Assessment completed',
  type: 'object',
  required: [
    'assessmentId',
    'session',
    'completedAt',
    'results',
    'riskScore',
    'behaviouralInsights',
    'trustIndicators',
  ],
  properties: {
    assessmentId: { type: 'string', minLength: 1 },
    session: {
      type: 'object',
      required: ['sessionId'],
      properties: {
        sessionId: { type: 'string', minLength: 1 },
        applicationId: { type: 'string' },
        applicantId: { type: 'string' },
        externalReference: { type: 'string' },
      },
    },
    completedAt: dateTime,
    results: {
      type: 'object',
      required: ['score'],
      properties: {
        score: { type: 'number' },
        grade: { type: 'string' },
        modules: {
          type: 'array',
          items: {
            type: 'object',
            required: ['name', 'score'],
            properties: { name: { type: 'string' }, score: { type: 'number' } },
          },
        },
      },
    },
    riskScore: {
      type: 'object',
      required: ['value', 'band'],
      properties: { value: unit, band: { enum: ['low', 'medium', 'high'] } },
    },
    behaviouralInsights: {
      type: 'array',
      items: {
        type: 'object',
        required: ['trait', 'score'],
        properties: { trait: { type: 'string' }, score: unit, summary: { type: 'string' } },
      },
    },
    trustIndicators: {
      type: 'object',
      required: ['trustScore'],
      properties: {
        trustScore: unit,
        attentionChecksPassed: { type: 'boolean' },
        deviceConsistent: { type: 'boolean' },
        completionTimeSeconds: { type: 'integer', minimum: 0 },
        flags: { type: 'array', items: { type: 'string' } },
      },
    },
  },
} as const;

export const BEGINI_EVENT_TYPES: EventTypeSeed[] = [
  {
    name: 'assessment.completed',
    description:
      'An applicant completed an assessment and its results were generated (Begini): results, risk score, behavioural insights, trust indicators and session identifiers.',
    schema: ASSESSMENT_SCHEMA,
    example: {
      assessmentId: 'asm_01JD7Z4Q8M2K5N3P6R9T0V1W2X',
      session: {
        sessionId: 'ses_7f3a9c21',
        applicationId: 'app_20241127_0042',
        applicantId: 'applicant_5521',
        externalReference: 'LOAN-2024-11-0042',
      },
      completedAt: '2024-11-27T10:30:00.000Z',
      results: {
        score: 712,
        grade: 'B',
        modules: [
          { name: 'personality', score: 0.74 },
          { name: 'numeracy', score: 0.81 },
        ],
      },
      riskScore: { value: 0.18, band: 'low' },
      behaviouralInsights: [
        { trait: 'conscientiousness', score: 0.82, summary: 'Plans ahead and follows through' },
        { trait: 'impulsivity', score: 0.21, summary: 'Considers options before acting' },
      ],
      trustIndicators: {
        trustScore: 0.93,
        attentionChecksPassed: true,
        deviceConsistent: true,
        completionTimeSeconds: 742,
        flags: [],
      },
    },
  },
];
