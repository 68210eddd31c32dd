import type pg from 'pg';
import type { PgDb } from './database.ts';
import { listenDue } from './notify.ts';

const RECONNECT_MS = 1_000;

/**
 * Holds one connection LISTENing for "work may be due" and calls `onDue` for
 * each notification. A lost connection is replaced after a pause; meanwhile the
 * worker's poll interval keeps delivery going, only less promptly.
 */
export class DueListener {
  readonly #db: PgDb;
  readonly #onDue: () => void;
  readonly #onError: (error: Error) => void;
  #client: pg.Client | null = null;
  #stopped = false;
  #retry: NodeJS.Timeout | undefined;

  constructor(db: PgDb, onDue: () => void, onError: (error: Error) => void) {
    this.#db = db;
    this.#onDue = onDue;
    this.#onError = onError;
  }

  async start(): Promise<void> {
    const client = this.#db.newClient();
    client.on('notification', () => this.#onDue());
    client.on('error', (error) => this.#lost(client, error));
    client.on('end', () => this.#lost(client, new Error('LISTEN connection ended')));
    try {
      await client.connect();
      await listenDue(client);
    } catch (error) {
      this.#lost(client, error as Error);
      return;
    }
    if (this.#stopped) {
      await client.end();
      return;
    }
    this.#client = client;
    // Anything ingested while no one was listening is due now.
    this.#onDue();
  }

  #lost(client: pg.Client, error: Error): void {
    if (this.#stopped || (this.#client !== null && this.#client !== client)) return;
    this.#client = null;
    client.removeAllListeners('end');
    client.end().catch(() => {});
    this.#onError(error);
    clearTimeout(this.#retry);
    this.#retry = setTimeout(() => void this.start(), RECONNECT_MS);
    this.#retry.unref();
  }

  async stop(): Promise<void> {
    this.#stopped = true;
    clearTimeout(this.#retry);
    const client = this.#client;
    this.#client = null;
    if (client) {
      client.removeAllListeners('end');
      await client.end().catch(() => {});
    }
  }
}
