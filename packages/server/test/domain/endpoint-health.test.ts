import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { ManualClock } from '../../src/domain/clock.ts';
import {
  type AttemptFact,
  type EndpointHealth,
  endpointDisabledPayload,
  HEALTHY,
  type HealthPolicy,
  recordHealth,
} from '../../src/domain/endpoint-health.ts';

const policy: HealthPolicy = {
  breakerThreshold: 3,
  breakerCooldownMs: 1_000,
  breakerMaxCooldownMs: 5_000,
  disableAfterMs: 60_000,
  disableAfterFailures: 4,
};

const fail = (at: number, deliveryFailed = false): AttemptFact => ({
  success: false,
  gone: false,
  deliveryFailed,
  at,
});
const ok = (at: number): AttemptFact => ({ success: true, gone: false, deliveryFailed: false, at });

function run(facts: AttemptFact[], start: EndpointHealth = HEALTHY, p = policy) {
  let health = start;
  const steps = [];
  for (const fact of facts) {
    const step = recordHealth(health, fact, p);
    steps.push(step);
    health = step.health;
  }
  return { health, steps };
}

describe('recordHealth', () => {
  test('the breaker opens after the threshold of failed attempts in a row', () => {
    const clock = new ManualClock();
    const t = clock.now();
    const { health, steps } = run([fail(t), fail(t + 10), fail(t + 20)]);
    assert.deepEqual(
      steps.map((s) => s.health.circuit),
      ['closed', 'closed', 'open'],
    );
    assert.equal(health.circuitRetryAt, t + 20 + 1_000);
    assert.equal(health.failingSince, t);
    assert.equal(health.consecutiveFailures, 3);
  });

  test('a success in between resets the count', () => {
    const { health } = run([fail(1), fail(2), ok(3), fail(4), fail(5)]);
    assert.equal(health.circuit, 'closed');
    assert.equal(health.consecutiveFailures, 2);
    assert.equal(health.failingSince, 4);
  });

  test('a failed probe doubles the cool-down up to the maximum', () => {
    let health: EndpointHealth = { ...run([fail(0), fail(0), fail(0)]).health };
    const retries: number[] = [];
    for (let i = 0; i < 5; i++) {
      // The claim marks the probe half-open; its failure reopens with a longer wait.
      health = { ...health, circuit: 'half_open' };
      health = recordHealth(health, fail(100 * i), { ...policy, disableAfterFailures: 0 }).health;
      assert.equal(health.circuit, 'open');
      retries.push(health.circuitRetryAt! - 100 * i);
    }
    assert.deepEqual(retries, [2_000, 4_000, 5_000, 5_000, 5_000]);
  });

  test('a failure of a request sent before the breaker opened does not push the probe back', () => {
    const opened = run([fail(0), fail(0), fail(0)]).health;
    const after = recordHealth(opened, fail(500), policy).health;
    assert.equal(after.circuit, 'open');
    assert.equal(after.circuitRetryAt, opened.circuitRetryAt);
  });

  test('a successful probe closes the breaker and says so', () => {
    const opened = run([fail(0), fail(0), fail(0)]).health;
    const step = recordHealth({ ...opened, circuit: 'half_open' }, ok(2_000), policy);
    assert.deepEqual(step.health, HEALTHY);
    assert.equal(step.closed, true);
    assert.equal(recordHealth(HEALTHY, ok(1), policy).closed, false);
  });

  test('410 Gone disables at once', () => {
    const step = recordHealth(HEALTHY, { ...fail(0), gone: true }, policy);
    assert.equal(step.disable, 'gone');
  });

  test('N failed deliveries in a row disable; failed attempts alone do not', () => {
    const attempts = run([fail(0), fail(1), fail(2), fail(3), fail(4)], HEALTHY, {
      ...policy,
      breakerThreshold: 0,
    });
    assert.ok(attempts.steps.every((s) => s.disable === null));
    const deliveries = run([fail(0, true), fail(1, true), fail(2, true), fail(3, true)]);
    assert.deepEqual(
      deliveries.steps.map((s) => s.disable),
      [null, null, null, 'too_many_failures'],
    );
  });

  test('failing continuously for the configured time disables', () => {
    const clock = new ManualClock();
    const start = clock.now();
    let health = recordHealth(HEALTHY, fail(start), policy).health;
    clock.advance(59_999);
    assert.equal(recordHealth(health, fail(clock.now()), policy).disable, null);
    health = recordHealth(health, fail(clock.now()), policy).health;
    clock.advance(1);
    assert.equal(recordHealth(health, fail(clock.now()), policy).disable, 'failing_too_long');
    // A success restarts the clock.
    health = recordHealth(health, ok(clock.now()), policy).health;
    assert.equal(recordHealth(health, fail(clock.now() + 1), policy).disable, null);
  });

  test('zero turns a rule off', () => {
    const off = { ...policy, breakerThreshold: 0, disableAfterMs: 0, disableAfterFailures: 0 };
    const { steps } = run(
      Array.from({ length: 50 }, (_, i) => fail(i * 86_400_000, true)),
      HEALTHY,
      off,
    );
    assert.ok(steps.every((s) => s.disable === null && s.health.circuit === 'closed'));
  });

  test('the endpoint.disabled payload names the endpoint, the reason and the counts', () => {
    const health = run([fail(0, true), fail(1, true)]).health;
    const payload = endpointDisabledPayload(
      { id: 'ep_1', orgId: 'org_1', name: 'HR', url: 'https://hr.example/hooks' },
      'too_many_failures',
      Date.UTC(2026, 0, 6),
      health,
      7,
    );
    assert.deepEqual(payload, {
      endpointId: 'ep_1',
      orgId: 'org_1',
      name: 'HR',
      url: 'https://hr.example/hooks',
      reason: 'too_many_failures',
      disabledAt: '2026-01-06T00:00:00.000Z',
      failingSince: '1970-01-01T00:00:00.000Z',
      counts: {
        consecutiveFailedAttempts: 2,
        consecutiveFailedDeliveries: 2,
        cancelledDeliveries: 7,
      },
    });
  });
});
