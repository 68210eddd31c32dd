import { readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DatabaseSync, type SQLInputValue, type StatementSync } from 'node:sqlite';
import { PAYLOAD_JSON } from '../lib/payload.ts';

/**
 * A layout experiment for the SQLite queue, not the store's code: the worker
 * cycle's hot statements (due rows joined to their events, the lease, the
 * attempt, the settle; one transaction per cycle) on today's layout, where
 * a delivery's status and due time are indexed on the deliveries table
 * itself, and on a `queue` table apart from the delivery log: one narrow row
 * per pending or leased delivery, clustered by endpoint, so that a claim and
 * a settle change that row and the log row but no index of the log. Prints
 * the main thread's CPU and the bytes written per delivery.
 * `node bench/micro/queue-layout.ts today|apart [deliveries] [batch] [endpoints]`
 */
const layout = process.argv[2] === 'apart' ? 'apart' : 'today';
const [total, batch, endpoints] = [
  Number(process.argv[3] ?? 40_000),
  Number(process.argv[4] ?? 50),
  Number(process.argv[5] ?? 1),
];
const file = join(tmpdir(), `herald-layout-${process.pid}.db`);
const db = new DatabaseSync(file);
db.exec('PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; PRAGMA cache_size = -16384;');
db.exec(`
  CREATE TABLE events (id TEXT PRIMARY KEY, org_id TEXT, type TEXT, payload TEXT, idempotency_key TEXT, created_at INTEGER);
  CREATE TABLE deliveries (id TEXT PRIMARY KEY, org_id TEXT, event_id TEXT, endpoint_id TEXT, event_type TEXT,
    status TEXT, attempt_count INTEGER, next_attempt_at INTEGER, lease_expires_at INTEGER,
    last_status_code INTEGER, created_at INTEGER, updated_at INTEGER);
  CREATE INDEX deliveries_org ON deliveries (org_id, id);
  CREATE INDEX deliveries_event ON deliveries (event_id);
  CREATE TABLE attempts (id TEXT PRIMARY KEY, delivery_id TEXT, endpoint_id TEXT, number INTEGER, started_at INTEGER,
    duration_ms INTEGER, status_code INTEGER, error TEXT, error_message TEXT, response_body TEXT);
  CREATE INDEX attempts_delivery ON attempts (delivery_id, number);
  CREATE INDEX attempts_endpoint_started ON attempts (endpoint_id, started_at);
`);
db.exec(
  layout === 'today'
    ? `CREATE INDEX deliveries_due ON deliveries (endpoint_id, next_attempt_at, id) WHERE status = 'pending';
       CREATE INDEX deliveries_sending ON deliveries (endpoint_id, lease_expires_at) WHERE status = 'sending';
       CREATE INDEX deliveries_endpoint_status ON deliveries (endpoint_id, status);
       CREATE INDEX deliveries_pending_age ON deliveries (endpoint_id, id) WHERE status = 'pending';`
    : `CREATE INDEX deliveries_endpoint ON deliveries (endpoint_id, id);
       CREATE TABLE queue (endpoint_id TEXT, lease_until INTEGER, due_at INTEGER, delivery_rowid INTEGER,
         PRIMARY KEY (endpoint_id, lease_until, due_at, delivery_rowid)) WITHOUT ROWID;`,
);

const id = (prefix: string, n: number) => `${prefix}_${String(n).padStart(20, '0')}`;
const start = Date.now();
/** A statement of one layout only: the other layout's tables do not exist. */
const only = (which: typeof layout, sql: string) => (layout === which ? db.prepare(sql) : null);
const run = (statement: StatementSync | null, ...values: SQLInputValue[]) =>
  statement?.run(...values);
{
  const event = db.prepare('INSERT INTO events VALUES (?, ?, ?, ?, NULL, ?)');
  const delivery = db.prepare(
    "INSERT INTO deliveries VALUES (?, 'org', ?, ?, 'bench', 'pending', 0, ?, NULL, NULL, ?, ?)",
  );
  const queued = only('apart', 'INSERT INTO queue VALUES (?, 0, ?, ?)');
  db.exec('BEGIN');
  for (let n = 0, e = 0; n < total; e++) {
    run(event, id('evt', e), 'org', 'bench', PAYLOAD_JSON, start);
    for (let p = 0; p < endpoints && n < total; p++, n++) {
      const { lastInsertRowid } = delivery.run(
        id('dlv', n),
        id('evt', e),
        `ep_${p}`,
        start,
        start,
        start,
      );
      run(queued, `ep_${p}`, start, lastInsertRowid);
    }
  }
  db.exec('COMMIT');
}

interface Due {
  rowid: number;
  id: string;
}
const due =
  layout === 'today'
    ? db.prepare(`SELECT d.rowid, d.id, ev.* FROM deliveries d JOIN events ev ON ev.id = d.event_id
        WHERE d.endpoint_id = ? AND d.status = 'pending' AND d.next_attempt_at <= ?
        ORDER BY d.next_attempt_at, d.id LIMIT ?`)
    : db.prepare(`SELECT q.delivery_rowid AS rowid, d.id, ev.* FROM queue q
        JOIN deliveries d ON d.rowid = q.delivery_rowid JOIN events ev ON ev.id = d.event_id
        WHERE q.endpoint_id = ? AND q.lease_until = 0 AND q.due_at <= ?
        ORDER BY q.due_at, q.delivery_rowid LIMIT ?`);
const markAll = only(
  'today',
  `UPDATE deliveries SET status = 'sending', lease_expires_at = ?1, updated_at = ?2
  WHERE rowid IN (SELECT value FROM json_each(?3))`,
);
const lease = only(
  'apart',
  `UPDATE queue SET lease_until = ?
  WHERE endpoint_id = ? AND lease_until = 0 AND due_at = ? AND delivery_rowid = ?`,
);
const attempt = db.prepare("INSERT INTO attempts VALUES (?, ?, ?, 1, ?, 1, 200, NULL, NULL, 'ok')");
const settle = db.prepare(`UPDATE deliveries SET status = 'delivered', attempt_count = 1,
  next_attempt_at = NULL, last_status_code = 200, lease_expires_at = NULL, updated_at = ? WHERE id = ?`);
const unqueue = only(
  'apart',
  'DELETE FROM queue WHERE endpoint_id = ? AND lease_until = ? AND due_at = ? AND delivery_rowid = ?',
);

interface Held extends Due {
  endpoint: string;
  leaseUntil: number;
}
const cpuUs = () => {
  const { user, system } = process.threadCpuUsage();
  return user + system;
};
const written = () => Number(/wchar: (\d+)/.exec(readFileSync('/proc/thread-self/io', 'utf8'))![1]);
const before = { cpu: cpuUs(), bytes: written() };
let held: Held[] = [];
let delivered = 0;
let attempts = 0;
let endpoint = 0;
do {
  const now = Date.now();
  db.exec('BEGIN IMMEDIATE');
  for (const h of held) {
    run(attempt, id('atm', attempts++), h.id, h.endpoint, now);
    run(settle, now, h.id);
    run(unqueue, h.endpoint, h.leaseUntil, start, h.rowid);
  }
  delivered += held.length;
  // As the worker's claim: from the first endpoints with due rows, up to the batch.
  const claimed: Held[] = [];
  for (let tried = 0; claimed.length < batch && tried < endpoints; tried++) {
    const name = `ep_${endpoint}`;
    const rows = due.all(name, now, batch - claimed.length) as unknown as Due[];
    const leaseUntil = now + 30_000;
    if (rows.length > 0)
      run(markAll, leaseUntil, now, JSON.stringify(rows.map((row) => row.rowid)));
    for (const row of rows) {
      run(lease, leaseUntil, name, start, row.rowid);
      claimed.push({ rowid: row.rowid, id: row.id, endpoint: name, leaseUntil });
    }
    if (claimed.length < batch) endpoint = (endpoint + 1) % endpoints;
  }
  db.exec('COMMIT');
  held = claimed;
} while (held.length > 0);
const cpu = (cpuUs() - before.cpu) / delivered;
const kb = (written() - before.bytes) / delivered / 1024;
console.log(
  `${layout}, ${endpoints} endpoint(s), batch ${batch}: ${cpu.toFixed(1)} µs of main-thread CPU and ${kb.toFixed(2)} KB written per delivery (${delivered})`,
);
db.close();
for (const suffix of ['', '-wal', '-shm']) rmSync(file + suffix, { force: true });
