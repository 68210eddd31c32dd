import assert from 'node:assert/strict';
import { test } from 'node:test';
import { decideOutcome, type SendResult } from '../../src/domain/attempt-outcome.ts';
import {
  MAX_RETRY_AFTER_MS,
  maxAttempts,
  nextAttemptAt,
  parseRetryAfter,
} from '../../src/domain/retry-policy.ts';

const NOW = Date.UTC(2026, 10, 24, 12);
const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;
const middle = () => 0.5; // no jitter: (0.5 * 2 - 1) = 0

test('standard: immediately, then 5 s, 5 min, 30 min, 2 h, 5 h, 10 h, 10 h', () => {
  assert.equal(maxAttempts('standard'), 8);
  const waits = [1, 2, 3, 4, 5, 6, 7].map(
    (made) => nextAttemptAt('standard', made, NOW, { random: middle })! - NOW,
  );
  assert.deepEqual(waits, [
    5 * SECOND,
    5 * MINUTE,
    30 * MINUTE,
    2 * HOUR,
    5 * HOUR,
    10 * HOUR,
    10 * HOUR,
  ]);
  assert.equal(nextAttemptAt('standard', 8, NOW), null);
});

test('standard jitter stays within ±20 %', () => {
  assert.equal(nextAttemptAt('standard', 3, NOW, { random: () => 0 })! - NOW, 24 * MINUTE);
  assert.equal(nextAttemptAt('standard', 3, NOW, { random: () => 1 })! - NOW, 36 * MINUTE);
});

test('rapid: 100 attempts, exponential from 1 s, all inside 10 minutes', () => {
  assert.equal(maxAttempts('rapid'), 100);
  const waits: number[] = [];
  for (let made = 1; made < 100; made++)
    waits.push(nextAttemptAt('rapid', made, NOW, { random: () => 0 })! - NOW);
  assert.deepEqual(waits.slice(0, 4), [1 * SECOND, 2 * SECOND, 4 * SECOND, 6 * SECOND]);
  assert.ok(waits.every((wait, i) => i === 0 || wait >= waits[i - 1]));
  assert.ok(waits.reduce((sum, wait) => sum + wait, 0) <= 10 * MINUTE);
  assert.equal(nextAttemptAt('rapid', 100, NOW), null);
  // jitter only shortens rapid waits, so the ten-minute bound holds whatever the draw
  assert.ok(nextAttemptAt('rapid', 10, NOW, { random: () => 1 })! - NOW <= 6 * SECOND);
});

test('a custom schedule is used as given, without jitter', () => {
  const policy = { schedule: [100, 2000, 30_000] };
  assert.equal(maxAttempts(policy), 4);
  assert.deepEqual(
    [1, 2, 3].map((made) => nextAttemptAt(policy, made, NOW, { random: () => 1 })! - NOW),
    [100, 2000, 30_000],
  );
  assert.equal(nextAttemptAt(policy, 4, NOW), null);
  assert.equal(nextAttemptAt({ schedule: [] }, 1, NOW), null);
});

test('Retry-After: seconds or HTTP date, and it can only lengthen a wait, up to a bound', () => {
  assert.equal(parseRetryAfter('120', NOW), 120 * SECOND);
  assert.equal(parseRetryAfter(new Date(NOW + 90 * SECOND).toUTCString(), NOW), 90 * SECOND);
  assert.equal(parseRetryAfter('soon', NOW), undefined);
  assert.equal(parseRetryAfter(undefined, NOW), undefined);
  assert.equal(
    nextAttemptAt('standard', 1, NOW, { random: middle, retryAfterMs: 60 * SECOND })! - NOW,
    60 * SECOND,
  );
  assert.equal(
    nextAttemptAt('standard', 1, NOW, { random: middle, retryAfterMs: 1 * SECOND })! - NOW,
    5 * SECOND,
  );
  assert.equal(
    nextAttemptAt('standard', 1, NOW, { random: middle, retryAfterMs: 999 * HOUR })! - NOW,
    MAX_RETRY_AFTER_MS,
  );
});

const result = (fields: Partial<SendResult>): SendResult => ({
  startedAt: NOW,
  durationMs: 5,
  statusCode: null,
  error: null,
  errorMessage: null,
  responseBody: null,
  ...fields,
});

test('outcomes: 2xx delivers, anything else retries until the policy runs out', () => {
  assert.deepEqual(decideOutcome(result({ statusCode: 204 }), 1, 'standard', NOW), {
    status: 'delivered',
    nextAttemptAt: null,
  });
  assert.deepEqual(
    decideOutcome(result({ statusCode: 500, error: 'http_status' }), 1, 'standard', NOW, middle),
    {
      status: 'pending',
      nextAttemptAt: NOW + 5 * SECOND,
    },
  );
  assert.equal(
    decideOutcome(result({ error: 'timeout' }), 2, 'standard', NOW, middle).status,
    'pending',
  );
  assert.equal(
    decideOutcome(result({ statusCode: 302, error: 'http_status' }), 1, { schedule: [] }, NOW)
      .status,
    'failed',
  );
  assert.equal(
    decideOutcome(result({ statusCode: 500, error: 'http_status' }), 8, 'standard', NOW).status,
    'failed',
  );
});

test('Retry-After is honoured on 429 and 503 only', () => {
  const wait = (statusCode: number) =>
    decideOutcome(
      result({ statusCode, error: 'http_status', retryAfter: '600' }),
      1,
      'standard',
      NOW,
      middle,
    ).nextAttemptAt! - NOW;
  assert.equal(wait(429), 600 * SECOND);
  assert.equal(wait(503), 600 * SECOND);
  assert.equal(wait(500), 5 * SECOND);
});
