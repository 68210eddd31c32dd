import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before } from 'node:test';
import pino from 'pino';
import { createHerald, type Herald, type HeraldOptions } from '../../src/app.ts';
import { loadConfig } from '../../src/config/config.ts';

export const ADMIN_TOKEN = 'test-admin-token-0123456789';

export interface TestHerald {
  herald: Herald;
  /** Base URL once listening (empty for API-only instances). */
  url: string;
  dir: string;
  /** Calls the API in-process with the admin token; returns status and parsed JSON. */
  call<T = any>(
    method: string,
    path: string,
    body?: unknown,
    headers?: Record<string, string>,
  ): Promise<{ status: number; body: T }>;
  close(): Promise<void>;
}

/** A temporary directory removed when the test ends. */
export function tempDir(prefix = 'herald-test-'): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

/**
 * A real Herald on a real SQLite file in a temp directory. `listen: false`
 * gives an API-only instance (app.inject), with no worker.
 */
export async function startHerald(
  options: { listen?: boolean; env?: Record<string, string> } & Omit<
    Partial<HeraldOptions>,
    'config'
  > = {},
): Promise<TestHerald> {
  const dir = tempDir();
  const config = loadConfig({
    HERALD_DATABASE_URL: `sqlite:${join(dir, 'herald.db')}`,
    HERALD_ADMIN_TOKEN: ADMIN_TOKEN,
    HERALD_ALLOW_PRIVATE_NETWORKS: 'true',
    HERALD_PORT: '0',
    ...options.env,
  });
  const listen = options.listen ?? true;
  const herald = await createHerald({
    logger: pino({ level: process.env.HERALD_TEST_LOG ?? 'silent' }),
    worker: { pollIntervalMs: 50, ...options.worker },
    ...options,
    config,
    deliver: listen,
  });
  const url = listen ? await herald.listen() : '';
  return {
    herald,
    url,
    dir,
    async call(method, path, body, headers = {}) {
      const response = await herald.api.inject({
        method: method as 'GET',
        url: path,
        headers: { authorization: `Bearer ${ADMIN_TOKEN}`, ...headers },
        ...(body === undefined ? {} : { payload: body as object }),
      });
      return {
        status: response.statusCode,
        body: response.body ? response.json() : (undefined as never),
      };
    },
    async close() {
      await herald.close(2_000);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/**
 * Creates an organization and returns its id. Test organizations accept
 * free-form event types (`auth.check`, `load`, …) unless told otherwise;
 * catalog types are validated against their schemas either way.
 */
export async function createOrg(
  t: TestHerald,
  name = 'Acme Learning',
  settings: { allowFreeFormTypes?: boolean } = { allowFreeFormTypes: true },
): Promise<string> {
  const { status, body } = await t.call('POST', '/v1/orgs', { name, settings });
  if (status !== 201)
    throw new Error(`creating an org answered ${status}: ${JSON.stringify(body)}`);
  return body.id;
}

/** Creates an endpoint and returns the API's answer (with its secret). */
export async function createEndpoint(
  t: TestHerald,
  orgId: string,
  fields: Record<string, unknown>,
): Promise<any> {
  const { status, body } = await t.call('POST', `/v1/orgs/${orgId}/endpoints`, {
    name: 'Test endpoint',
    ...fields,
  });
  if (status !== 201)
    throw new Error(`creating an endpoint answered ${status}: ${JSON.stringify(body)}`);
  return body;
}

/** Polls until `check` returns a value (not undefined/false) or the time runs out. */
export async function eventually<T>(
  check: () => Promise<T | undefined | false> | T | undefined | false,
  timeoutMs = 15_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined && value !== false) return value as T;
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

/**
 * A running Herald with one organization for the tests of a file: started
 * before them, closed after. Read `t` and `org` inside tests, once set up.
 */
export function useHerald(options: Parameters<typeof startHerald>[0] = {}): {
  t: TestHerald;
  org: string;
} {
  const context = {} as { t: TestHerald; org: string };
  before(async () => {
    context.t = await startHerald(options);
    context.org = await createOrg(context.t);
  });
  after(() => context.t.close());
  return context;
}
