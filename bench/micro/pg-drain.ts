import pg from 'pg';
import { waitForDeliveries, warmUp, workload } from '../lib/measure.ts';
import { type HeraldNode, startHeraldNode, startReceiver } from '../lib/nodes.ts';
import { cpuTicks, postgresTicks, TICK_US } from './proc-cpu.ts';

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
const receiver = await startReceiver();
const preload = process.env.HERALD_PRELOAD;
const nodes: HeraldNode[] = [];
try {
  for (let i = 0; i < nodeCount; i++) nodes.push(await startHeraldNode({ databaseUrl, preload }));
  const { orgId } = await nodes[0]!.setup([{ url: `${receiver.url}/pg` }]);
  await warmUp(nodes, receiver, workload(orgId, 'pg', 5_000));
  for (let run = 0; run < runs; run++) {
    await nodes[0]!.seed(orgId, count);
    await receiver.reset();
    const pids = nodes.map((node) => node.child.pid);
    const before = [...pids.map(cpuTicks), postgresTicks(), cpuTicks(receiver.pid)];
    await Promise.all(nodes.map((node) => node.start()));
    const drain = await waitForDeliveries(receiver, ['pg'], count, {
      label: 'pg-drain',
      timeoutMs: 600_000,
    });
    const after = [...pids.map(cpuTicks), postgresTicks(), cpuTicks(receiver.pid)];
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
  await receiver.stop();
  const client = new pg.Client({ connectionString: serverUrl });
  await client.connect();
  await client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
  await client.end();
}
