import assert from 'node:assert/strict';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { runBench } from '../../../../bench/bench.ts';
import { QUICK, quickSizesFor } from '../../../../bench/lib/context.ts';
import { redisReachable } from '../../../../bench/lib/nodes.ts';
import { table } from '../../../../bench/lib/report.ts';
import { tempDir } from '../helpers/herald.ts';

// The bench is not part of the suite; this runs its machinery on a tiny
// scenario so it cannot rot unnoticed. It asserts shape, never speed.
test('the quick bench machinery runs a tiny steady-sqlite scenario end to end', {
  timeout: 120_000,
}, async () => {
  process.env.BENCH_SILENT = '1';
  const plotDir = tempDir('herald-bench-test-');
  const withPeer = await redisReachable();
  try {
    const report = await runBench({
      quick: true,
      only: ['steady-sqlite'],
      sizes: { p: 300, peer: 100, steady: 150 },
      noPeer: !withPeer,
      plotDir,
    });
    assert.ok(report.machine.cores > 0);
    assert.ok(report.P.perSecond > 0, 'P was measured');
    if (withPeer) assert.ok(report.peer.perSecond! > 0, 'the peer delivered');
    else assert.equal(report.peer.perSecond, null);
    assert.equal(report.scenarios.length, 1);
    const [steady] = report.scenarios;
    assert.deepEqual(Object.keys(steady!).sort(), [
      'name',
      'pass',
      'ratioToP',
      'ratioToPeer',
      'target',
      'unit',
      'value',
    ]);
    assert.equal(steady!.name, 'steady-sqlite');
    assert.equal(steady!.unit, 'deliveries/s');
    assert.ok(steady!.value! > 0, 'Herald delivered the seeded events');
    assert.equal(typeof steady!.pass, 'boolean');
    assert.match(table(report), /\| steady-sqlite \|/);
    const svg = join(plotDir, 'throughput.svg');
    assert.ok(existsSync(svg));
    assert.match(readFileSync(svg, 'utf8'), /<polyline/);
  } finally {
    rmSync(plotDir, { recursive: true, force: true });
  }
});

test('the quick run shrinks its counts on a slower machine, down to a quarter, and keeps set sizes', () => {
  assert.deepEqual(quickSizesFor(120_000, QUICK), QUICK);
  const half = quickSizesFor(35_000, QUICK, { steady: 150 });
  assert.equal(half.peer, QUICK.peer / 2);
  assert.equal(half.warmUp, QUICK.warmUp / 2);
  assert.equal(half.steady, QUICK.steady, 'a size the caller set is kept');
  assert.equal(half.ingestSeconds, QUICK.ingestSeconds, 'durations are not counts');
  assert.equal(half.p, QUICK.p, 'P is measured before the scale is known');
  assert.equal(quickSizesFor(1_000, QUICK).backlog, QUICK.backlog / 4);
});
