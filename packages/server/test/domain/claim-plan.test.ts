import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  afterClaim,
  type ClaimCandidate,
  claimableAt,
  planClaim,
} from '../../src/domain/claim-plan.ts';

const NOW = Date.UTC(2026, 0, 1, 12, 0, 0, 250);
const base: ClaimCandidate = {
  maxConcurrency: 5,
  sending: 0,
  ordering: 'none',
  rateLimitPerSecond: null,
  rateWindowStart: null,
  rateWindowCount: 0,
  circuit: 'closed',
  circuitRetryAt: null,
};

describe('planClaim', () => {
  test('a healthy endpoint takes its free concurrency slots of due deliveries', () => {
    assert.deepEqual(planClaim({ ...base, sending: 2 }, NOW), {
      take: 3,
      pick: 'due',
      probe: false,
    });
    assert.equal(planClaim({ ...base, sending: 5 }, NOW).take, 0);
  });

  test('the rate limit caps the claim within the current one-second window', () => {
    const limited = { ...base, rateLimitPerSecond: 3 };
    assert.equal(planClaim(limited, NOW).take, 3);
    const window = NOW - 250;
    assert.equal(
      planClaim({ ...limited, rateWindowStart: window, rateWindowCount: 2 }, NOW).take,
      1,
    );
    assert.equal(
      planClaim({ ...limited, rateWindowStart: window, rateWindowCount: 3 }, NOW).take,
      0,
    );
    // The next second starts a fresh window.
    assert.equal(
      planClaim({ ...limited, rateWindowStart: window, rateWindowCount: 3 }, window + 1000).take,
      3,
    );
  });

  test('afterClaim counts the claims into the window', () => {
    const limited = {
      ...base,
      rateLimitPerSecond: 3,
      rateWindowStart: NOW - 250,
      rateWindowCount: 1,
    };
    const plan = planClaim(limited, NOW);
    assert.deepEqual(afterClaim(limited, plan, 2, NOW, NOW + 5000), {
      rateWindowStart: NOW - 250,
      rateWindowCount: 3,
      circuit: 'closed',
      circuitRetryAt: null,
    });
    assert.equal(afterClaim(base, planClaim(base, NOW), 4, NOW, NOW + 5000), undefined);
  });

  test('FIFO sends the oldest delivery alone, and only when it is due', () => {
    const fifo = { ...base, ordering: 'fifo' as const };
    assert.deepEqual(planClaim(fifo, NOW), {
      take: 1,
      pick: 'oldest',
      probe: false,
    });
    assert.equal(planClaim({ ...fifo, sending: 1 }, NOW).take, 0);
  });

  test('an open breaker lets one due delivery through after its cool-down, a FIFO head if FIFO', () => {
    const open = { ...base, circuit: 'open' as const, circuitRetryAt: NOW + 1 };
    assert.equal(planClaim(open, NOW).take, 0);
    const plan = planClaim(open, NOW + 1);
    assert.deepEqual(plan, { take: 1, pick: 'due', probe: true });
    assert.deepEqual(planClaim({ ...open, ordering: 'fifo' }, NOW + 1), {
      take: 1,
      pick: 'oldest',
      probe: true,
    });
    assert.deepEqual(afterClaim(open, plan, 1, NOW + 1, NOW + 9000), {
      rateWindowStart: null,
      rateWindowCount: 0,
      circuit: 'half_open',
      circuitRetryAt: NOW + 9000,
    });
    // While the probe is in flight nothing else goes.
    assert.equal(planClaim({ ...open, circuit: 'half_open', sending: 1 }, NOW + 2).take, 0);
  });
});

describe('claimableAt', () => {
  test('is the earliest due time for a healthy endpoint with a free slot', () => {
    assert.equal(claimableAt(base, NOW, NOW + 50), NOW);
    assert.equal(claimableAt({ ...base, sending: 5 }, NOW, NOW), undefined);
  });

  test('waits for the FIFO head, not for a later due delivery', () => {
    const fifo = { ...base, ordering: 'fifo' as const };
    assert.equal(claimableAt(fifo, NOW, NOW + 5000), NOW + 5000);
    assert.equal(claimableAt({ ...fifo, sending: 1 }, NOW, NOW), undefined);
  });

  test('waits for the breaker cool-down and for the next rate window', () => {
    const open = { ...base, circuit: 'open' as const, circuitRetryAt: NOW + 7000 };
    assert.equal(claimableAt(open, NOW - 100, NOW - 100), NOW + 7000);
    // The probe is a due delivery: after the cool-down, it waits for one.
    assert.equal(claimableAt(open, NOW + 9000, NOW + 12_000), NOW + 9000);
    assert.equal(claimableAt({ ...open, ordering: 'fifo' }, NOW, NOW + 12_000), NOW + 12_000);
    const full = { ...base, rateLimitPerSecond: 2, rateWindowStart: NOW - 250, rateWindowCount: 2 };
    assert.equal(claimableAt(full, NOW - 100, NOW - 100), NOW - 250 + 1000);
  });

  test('matches planClaim: whenever it answers a time, a claim then takes something', () => {
    const cases: ClaimCandidate[] = [];
    for (const sending of [0, 1, 5])
      for (const ordering of ['none', 'fifo'] as const)
        for (const circuit of ['closed', 'open', 'half_open'] as const)
          for (const count of [0, 2])
            cases.push({
              ...base,
              sending,
              ordering,
              circuit,
              circuitRetryAt: circuit === 'closed' ? null : NOW + 300,
              rateLimitPerSecond: 2,
              rateWindowStart: NOW - 250,
              rateWindowCount: count,
            });
    for (const c of cases) {
      const at = claimableAt(c, NOW - 10, NOW - 10);
      if (at === undefined) continue;
      assert.ok(planClaim(c, Math.max(at, NOW)).take > 0, JSON.stringify(c));
    }
  });
});
