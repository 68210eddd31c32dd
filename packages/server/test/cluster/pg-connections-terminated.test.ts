import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, test } from 'node:test';
import pg from 'pg';
import { sleep } from '../helpers/drive.ts';
import { eventually } from '../helpers/herald.ts';
import { adminQuery, TEST_POSTGRES_URL } from '../helpers/postgres.ts';
import { type HeraldProcess, spawnHerald } from '../helpers/process.ts';

// A database of its own, so that terminating "every backend of this node" touches nothing else.
const DB = `herald_terminated_${randomBytes(4).toString('hex')}`;
const url = new URL(TEST_POSTGRES_URL);
url.pathname = `/${DB}`;
let admin: pg.Client;
const procs: HeraldProcess[] = [];

before(async () => {
  await adminQuery(`CREATE DATABASE ${DB}`);
  admin = new pg.Client({ connectionString: TEST_POSTGRES_URL });
  await admin.connect();
});
after(async () => {
  for (const p of procs) p.child.kill('SIGKILL');
  await Promise.all(procs.map((p) => p.exited));
  await admin.end();
  await adminQuery(`DROP DATABASE IF EXISTS ${DB} WITH (FORCE)`);
});

const terminateAll = () =>
  admin.query(
    `SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()`,
    [DB],
  );

test('a node under load survives PostgreSQL terminating its connections (a restart, a failover)', {
  timeout: 180_000,
}, async () => {
  const { createServer } = await import('node:http');
  const received = new Set<string>();
  const server = createServer((req, res) => {
    received.add(String(req.headers['webhook-id']));
    req.resume();
    req.on('end', () => setTimeout(() => res.end('ok'), 2));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const receiverUrl = `http://127.0.0.1:${(server.address() as import('node:net').AddressInfo).port}`;
  const node = await spawnHerald({
    HERALD_DATABASE_URL: url.toString(),
    HERALD_ENCRYPTION_KEY: Buffer.alloc(32, 7).toString('base64'),
    HERALD_LOG_LEVEL: 'info',
  });
  procs.push(node);
  try {
    const { body: org } = await node.api('POST', '/v1/orgs', {
      name: 'Load',
      settings: { allowFreeFormTypes: true },
    });
    for (let i = 0; i < 5; i++)
      await node.api('POST', `/v1/orgs/${org.id}/endpoints`, {
        name: `ep${i}`,
        url: `${receiverUrl}/ep/${i}`,
        maxConcurrency: 20,
      });
    let stop = false;
    const accepted: string[] = [];
    const statuses = new Map<number, number>();
    const load = (async () => {
      while (!stop) {
        await Promise.all(
          Array.from({ length: 20 }, () =>
            node
              .api('POST', `/v1/orgs/${org.id}/events`, { type: 'load.x', payload: { x: 1 } })
              .then(({ status, body }) => {
                statuses.set(status, (statuses.get(status) ?? 0) + 1);
                if (status === 202) accepted.push(body.id);
              })
              .catch(() => undefined),
          ),
        );
      }
    })();
    await sleep(2_000);
    for (
      let round = 0;
      round < 30 && node.child.exitCode === null && node.child.signalCode === null;
      round++
    ) {
      await terminateAll();
      await sleep(300);
    }
    stop = true;
    await load;
    const crashed = node.child.exitCode !== null || node.child.signalCode !== null;
    const out = node.output();
    const crash =
      /Unhandled 'error' event|terminating connection due to administrator command[\s\S]{0,400}\n\s+at /.exec(
        out,
      );
    assert.ok(
      !crashed,
      `the node died (exit ${node.child.exitCode ?? node.child.signalCode}):\n${out.slice(Math.max(0, (crash?.index ?? out.length) - 300), (crash?.index ?? out.length) + 1500)}`,
    );
    // Every accepted event (5 endpoints each) reaches the receiver once the database is back.
    await eventually(() => accepted.every((id) => received.has(id)), 60_000).catch(() => {
      const missing = accepted.filter((id) => !received.has(id));
      throw new Error(
        `${missing.length} of ${accepted.length} accepted events never delivered; ingest statuses ${JSON.stringify([...statuses])}`,
      );
    });
  } finally {
    server.closeAllConnections();
    server.close();
  }
});
