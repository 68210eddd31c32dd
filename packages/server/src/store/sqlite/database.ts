import { closeSync, mkdirSync, openSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { DatabaseSync, type SQLInputValue, type StatementSync } from 'node:sqlite';
import { takeOwnership } from './ownership.ts';
import { WriteGate } from './write-gate.ts';

const MIGRATIONS_DIR = join(import.meta.dirname, 'migrations');

/** Opens and configures a connection; closes it again if the file refuses the configuration. */
function connect(location: string): DatabaseSync {
  const raw = new DatabaseSync(location);
  try {
    // WAL with synchronous=NORMAL: commits survive a process crash; only an OS
    // crash can lose the last transactions, the trade every WAL user makes for speed.
    // A 16 MiB page cache holds the hot B-tree pages (the OS caches the rest of
    // the file); it counts in RSS, which a node keeps under 256 MB.
    raw.exec(`
      PRAGMA journal_mode = WAL;
      PRAGMA synchronous = NORMAL;
      PRAGMA foreign_keys = ON;
      PRAGMA busy_timeout = 5000;
      PRAGMA cache_size = -16384;
      PRAGMA temp_store = MEMORY;
    `);
    return raw;
  } catch (error) {
    raw.close();
    throw error;
  }
}

/** A node:sqlite connection with a prepared-statement cache and a transaction helper. */
export class Db {
  readonly raw: DatabaseSync;
  readonly location: string;
  /** Closed while the checkpoint thread restarts the WAL; see WriteGate. */
  readonly gate = new WriteGate();
  readonly #statements = new Map<string, StatementSync>();
  readonly #ownership: DatabaseSync | undefined;
  #file: number | undefined;
  #depth = 0;

  constructor(location: string) {
    this.location = location;
    const onDisk = location !== ':memory:';
    if (onDisk) mkdirSync(dirname(location), { recursive: true });
    this.#ownership = onDisk ? takeOwnership(location) : undefined;
    try {
      this.raw = connect(location);
    } catch (error) {
      // A file that is not a database fails here: without this, its lock would
      // stay taken until the process exits, and no retry could open the file.
      this.#ownership?.close();
      throw error;
    }
  }

  /**
   * A plain descriptor of the database file, for the checkpoint thread's
   * fdatasync. Kept until the connection is closed: closing any descriptor of
   * a file drops every POSIX lock the process holds on it, SQLite's included.
   */
  get fileDescriptor(): number {
    this.#file ??= openSync(this.location, 'r+');
    return this.#file;
  }

  statement(sql: string): StatementSync {
    let statement = this.#statements.get(sql);
    if (!statement) {
      statement = this.raw.prepare(sql);
      this.#statements.set(sql, statement);
    }
    return statement;
  }

  run(sql: string, ...params: SQLInputValue[]) {
    return this.statement(sql).run(...params);
  }

  get<T>(sql: string, ...params: SQLInputValue[]): T | undefined {
    return this.statement(sql).get(...params) as T | undefined;
  }

  all<T>(sql: string, ...params: SQLInputValue[]): T[] {
    return this.statement(sql).all(...params) as T[];
  }

  /** Rows as they are read; leaving the loop early resets the statement. */
  iterate<T>(sql: string, ...params: SQLInputValue[]): IterableIterator<T> {
    return this.statement(sql).iterate(...params) as IterableIterator<T>;
  }

  /** Runs `work` in one IMMEDIATE transaction; nested calls join the outer one. */
  transaction<T>(work: () => T): T {
    if (this.#depth > 0) return work();
    this.raw.exec('BEGIN IMMEDIATE');
    this.#depth++;
    try {
      const result = work();
      this.raw.exec('COMMIT');
      return result;
    } catch (error) {
      this.raw.exec('ROLLBACK');
      throw error;
    } finally {
      this.#depth--;
    }
  }

  /** Applies the numbered migrations not yet applied, each in its own transaction. */
  migrate(): void {
    this.raw.exec(
      'CREATE TABLE IF NOT EXISTS migrations (id INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at INTEGER NOT NULL)',
    );
    const applied = new Set(
      this.all<{ id: number }>('SELECT id FROM migrations').map((row) => row.id),
    );
    for (const file of readdirSync(MIGRATIONS_DIR)
      .filter((name) => name.endsWith('.sql'))
      .sort()) {
      const id = Number.parseInt(file, 10);
      if (applied.has(id)) continue;
      this.transaction(() => {
        this.raw.exec(readFileSync(join(MIGRATIONS_DIR, file), 'utf8'));
        this.run(
          'INSERT INTO migrations (id, name, applied_at) VALUES (?, ?, ?)',
          id,
          file,
          Date.now(),
        );
      });
    }
  }

  close(): void {
    this.#statements.clear();
    this.raw.close();
    if (this.#file !== undefined) closeSync(this.#file);
    this.#ownership?.close();
  }
}
