import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import pg from 'pg';
import { NODE_FLAGS } from '../../packages/server/src/cli/node-flags.ts';
import { type Child, spawnChild } from '../lib/child.ts';
import { waitForDeliveries, warmUp, workload } from '../lib/measure.ts';
import type { HeraldNode, ReceiverNode, ReceiverStats } from '../lib/nodes.ts';

/**
 * The steady-postgres-2-nodes drain with the CPU time each process spent on
 * it: the two Herald nodes, every `postgres` process of the server (its
 * backends and WAL writer; other clients of the server count too) and the
 * receiver, in µs per delivery, which waiting for a core does not inflate.
 * `node bench/micro/pg-drain.ts [deliveries] [runs] [nodes]`; HERALD_PRELOAD
 * adds an `--import` to the Herald nodes (counters while investigating).
 */
const count = Number(process.argv[2] ?? 10_000);
const runs = Number(process.argv[3] ?? 3);
const nodeCount = Number(process.argv[4] ?? 2);
const serverUrl = process.env.BENCH_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const schema = `herald_drain_${process.pid}`;
const databaseUrl = `${serverUrl}?schema=${schema}`;
const lib = join(import.meta.dirname, '..', 'lib');
const TICK_US = 10_000; // USER_HZ = 100

function cpuTicks(pid: number): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return Number(fields[11]) + Number(fields[12]);
  } catch {
    return 0;
  }
}

function postgresTicks(): number {
  let total = 0;
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      if (readFileSync(`/proc/${entry}/comm`, 'utf8').trim() === 'postgres')
        total += cpuTicks(Number(entry));
    } catch {}
  }
  return total;
}

async function startReceiver(): Promise<{ node: ReceiverNode; child: Child }> {
  const child = await spawnChild(join(lib, 'receiver-process.ts'));
  const [url] = await child.call<string[]>('urls');
  const node = {
    url: url!,
    auxUrl: '',
    reset: () => child.call('reset'),
    stats: () => child.call<ReceiverStats>('stats'),
    latencies: () => child.call<number[]>('latencies'),
    stop: () => child.stop(),
  };
  return { node, child };
}

async function startNode(): Promise<HeraldNode> {
  const preload = process.env.HERALD_PRELOAD;
  const child = await spawnChild(join(lib, 'herald-process.ts'), {
    execArgv: [...NODE_FLAGS, ...(preload ? ['--import', preload] : [])],
  });
  await child.call('open', { databaseUrl });
  return {
    child,
    url: '',
    token: '',
    setup: (endpoints, orgId) => child.call('setup', { endpoints, orgId }),
    seed: (orgId, n) => child.call('seed', { orgId, count: n }),
    disable: (orgId, endpointIds) => child.call('disable', { orgId, endpointIds }),
    start: () => child.call('start'),
    pause: () => child.call('pause'),
    rss: () => child.call('rss'),
    stop: () => child.stop(),
  };
}

const receiver = await startReceiver();
const nodes: HeraldNode[] = [];
try {
  for (let i = 0; i < nodeCount; i++) nodes.push(await startNode());
  const { orgId } = await nodes[0]!.setup([{ url: `${receiver.node.url}/pg` }]);
  await warmUp(nodes, receiver.node, workload(orgId, 'pg', 5_000));
  for (let run = 0; run < runs; run++) {
    await nodes[0]!.seed(orgId, count);
    await receiver.node.reset();
    const pids = nodes.map((node) => node.child.pid);
    const before = [...pids.map(cpuTicks), postgresTicks(), cpuTicks(receiver.child.pid)];
    await Promise.all(nodes.map((node) => node.start()));
    const drain = await waitForDeliveries(receiver.node, ['pg'], count, {
      label: 'pg-drain',
      timeoutMs: 600_000,
    });
    const after = [...pids.map(cpuTicks), postgresTicks(), cpuTicks(receiver.child.pid)];
    await Promise.all(nodes.map((node) => node.pause()));
    const us = after.map((t, i) => ((t - before[i]!) * TICK_US) / count);
    const names = [...pids.map((_, i) => `node${i + 1}`), 'postgres', 'receiver'];
    const cpu = names.map((name, i) => `${name} ${us[i]!.toFixed(0)}`).join(', ');
    process.stdout.write(
      `\nrun ${run + 1}: ${Math.round(drain.perSecond)}/s; CPU µs per delivery: ${cpu}\n`,
    );
  }
} finally {
  await Promise.all(nodes.map((node) => node.stop()));
  await receiver.node.stop();
  const client = new pg.Client({ connectionString: serverUrl });
  await client.connect();
  await client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
  await client.end();
}
