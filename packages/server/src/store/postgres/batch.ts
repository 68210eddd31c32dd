import pg from 'pg';
import type { Queryable } from './database.ts';

/** A statement a Batch prepares once per connection and runs by name. */
export interface Statement {
  /** The prepared statement's SQL name; distinct from the `prepared` ones (`herald_…`). */
  name: string;
  text: string;
  values: unknown[];
  /**
   * Runs its generic plan, never a custom one: for a statement whose
   * re-planning costs more than the best plan saves (the claim's), and whose
   * generic plan is checked (postgres-claim-plan.test.ts). By default
   * PostgreSQL re-plans each execution with the values unless the generic
   * plan's estimate is as low as the custom plans' were.
   */
  generic?: boolean;
}

/** plan_cache_mode is read at each EXECUTE, so it can be set for one statement of a transaction. */
const GENERIC_PLAN = 'SET LOCAL plan_cache_mode = force_generic_plan';
const DEFAULT_PLANS = 'SET LOCAL plan_cache_mode = DEFAULT';

const NAME = /^herald_batch_[a-z_]+$/;

/** The statements each connection has prepared (SQL PREPARE lasts as long as the session). */
const preparedOn = new WeakMap<pg.ClientBase, Set<string>>();

/**
 * How the server must read the literals (see literal): with backslashes in
 * '…' plain characters, an unquoted NULL in an array a null, and in UTF-8,
 * where no multibyte character ends in a byte that reads as a backslash or a
 * quote (in SJIS, BIG5 or GBK one can, and a receiver's response body could
 * then close its literal). node-postgres asks for UTF8 at connection; a role
 * or a database may set the others otherwise, so the session overrides all
 * of them before its first batch.
 */
const SESSION = `SET client_encoding = 'UTF8'; SET standard_conforming_strings = on;
  SET backslash_quote = safe_encoding; SET array_nulls = on`;

/**
 * One transaction whose statements travel in as few round trips as they can:
 * BEGIN goes with the first statements, COMMIT with the last, and a round
 * trip carries several prepared statements as `EXECUTE name(…)` in one
 * simple-protocol query. Each value travels as a quoted literal (pg's own
 * escaping), which the statement's parameter types then parse as they would
 * a bound value. Why: under load, a round trip waits for a turn of the node's
 * busy event loop. In the two-node bench the worker saw 1.2–1.9 ms per round
 * trip for statements that ran 0.01–1.8 ms on the server, and its cycle
 * (BEGIN, record, lock, claim, COMMIT) took five.
 */
export class Batch implements Queryable {
  readonly #client: pg.ClientBase;
  readonly #begin: string[];
  #begun = false;
  #ended = false;

  constructor(client: pg.ClientBase, { asyncCommit = false } = {}) {
    this.#client = client;
    this.#begin = asyncCommit ? ['BEGIN', 'SET LOCAL synchronous_commit = off'] : ['BEGIN'];
  }

  /** Runs `statements` in order, in one round trip (after BEGIN, the first time); their results. */
  async run(statements: Statement[], { commit = false } = {}): Promise<pg.QueryResult[]> {
    if (this.#ended) throw new Error('the batch has already committed or rolled back');
    await this.#prepare(statements);
    const sql = this.#begun ? [] : [...this.#begin];
    // Where each statement's result is among the commands' results.
    const at: number[] = [];
    for (const statement of statements) {
      if (statement.generic) sql.push(GENERIC_PLAN);
      at.push(sql.length);
      sql.push(this.#execute(statement));
      if (statement.generic) sql.push(DEFAULT_PLANS);
    }
    if (commit) sql.push('COMMIT');
    this.#begun = true;
    if (commit) this.#ended = true;
    const answer = await this.#client.query(sql.join(';\n'));
    const results = Array.isArray(answer) ? (answer as pg.QueryResult[]) : [answer];
    return at.map((i) => results[i]!);
  }

  /** Any other statement, inside the transaction. */
  async query<R extends pg.QueryResultRow = pg.QueryResultRow>(
    sql: string | pg.QueryConfig,
    params?: unknown[],
  ): Promise<pg.QueryResult<R>> {
    if (!this.#begun) {
      this.#begun = true;
      await this.#client.query(this.#begin.join('; '));
    }
    return typeof sql === 'string'
      ? this.#client.query<R>(sql, params)
      : this.#client.query<R>(sql);
  }

  /** Commits unless a run already did. */
  async commit(): Promise<void> {
    if (!this.#begun || this.#ended) return;
    this.#ended = true;
    await this.#client.query('COMMIT');
  }

  /** Rolls back whatever was begun and not committed; after a failure. */
  async rollback(): Promise<void> {
    if (!this.#begun) return;
    this.#ended = true;
    await this.#client.query('ROLLBACK');
  }

  async #prepare(statements: Statement[]): Promise<void> {
    let names = preparedOn.get(this.#client);
    if (!names) {
      // First batch on this connection, before its transaction: SET would roll back with it.
      await this.#client.query(SESSION);
      names = new Set<string>();
      preparedOn.set(this.#client, names);
    }
    for (const { name, text } of statements) {
      if (names.has(name)) continue;
      if (!NAME.test(name)) throw new Error(`invalid batch statement name: ${name}`);
      // Its own round trip, once per connection. A PREPARE outlives the
      // transaction it ran in, even one rolled back, so it is recorded once it ran.
      await this.#client.query(`PREPARE ${name} AS ${text}`);
      names.add(name);
    }
  }

  #execute({ name, values }: Statement): string {
    return `EXECUTE ${name}(${values.map(literal).join(', ')})`;
  }
}

/**
 * A value as the text PostgreSQL would receive for a bound parameter, quoted.
 * Only the kinds the queue binds: anything else (a Date, an object, a Buffer)
 * pg would bind in a form of its own, so it is refused rather than guessed.
 */
export function literal(value: unknown): string {
  if (value === null || value === undefined) return 'NULL';
  if (Array.isArray(value)) return pg.escapeLiteral(arrayText(value));
  return pg.escapeLiteral(scalarText(value));
}

function scalarText(value: unknown): string {
  switch (typeof value) {
    case 'string':
    case 'bigint':
    case 'boolean':
      return String(value);
    case 'number':
      if (Number.isFinite(value)) return String(value);
      throw new Error(`not a finite number: ${value}`);
    default:
      throw new Error(
        `a batch binds strings, numbers, booleans and flat arrays, not a ${typeof value}`,
      );
  }
}

/** A one-dimensional array in PostgreSQL's array syntax, each element double-quoted. */
function arrayText(values: unknown[]): string {
  const elements = values.map((value) =>
    value === null || value === undefined
      ? 'NULL'
      : `"${scalarText(value).replaceAll('\\', '\\\\').replaceAll('"', '\\"')}"`,
  );
  return `{${elements.join(',')}}`;
}
