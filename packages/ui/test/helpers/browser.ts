import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { after, afterEach, before } from 'node:test';
import { fileURLToPath } from 'node:url';
import {
  type Browser,
  type BrowserContext,
  chromium,
  type Locator,
  type Page,
} from 'playwright-core';
import { ADMIN_TOKEN, startHerald, type TestHerald } from '../../../server/test/helpers/herald.ts';
import {
  type Behaviour,
  type Receiver,
  startReceiver,
} from '../../../server/test/helpers/receiver.ts';

const UI_DIR = fileURLToPath(new URL('../../', import.meta.url));
const REPO_DIR = fileURLToPath(new URL('../../../../', import.meta.url));
export const SCREENSHOT_DIR = `${REPO_DIR}.artifacts/screenshots`;
/** Set UPDATE_README_SCREENSHOTS=1 to refresh the PNGs the README shows. */
export const README_SHOT_DIR = `${REPO_DIR}docs/screenshots`;

export const CHROMIUM = process.env.HERALD_CHROMIUM ?? '/usr/bin/chromium';

/** `npm test` builds the UI first; running one test file alone builds it if it is missing. */
function ensureBuilt(): void {
  if (existsSync(`${UI_DIR}dist/index.html`)) return;
  const vite = fileURLToPath(new URL('../../../../node_modules/vite/bin/vite.js', import.meta.url));
  execFileSync(process.execPath, [vite, 'build'], { cwd: UI_DIR, stdio: 'ignore' });
}

/** A locator's text, trimmed ('' when it has none). */
export const text = async (locator: Locator) => ((await locator.textContent()) ?? '').trim();

export interface BrowserRig {
  herald: TestHerald;
  /** A real HTTP receiver for the endpoints a test creates. */
  receiver: Receiver;
  browser: Browser;
  context: BrowserContext;
  page: Page;
  /** Console errors and uncaught exceptions seen so far; a test asserts it stays empty. */
  problems: string[];
  /**
   * Fails on any console error or page error, then starts afresh (use it in
   * afterEach). `expected` drops the ones a test provoked on purpose, such as
   * Chromium's log line for an API's 4xx answer.
   */
  assertNoProblems(expected?: RegExp): void;
  /** `readme` also refreshes docs/screenshots/<name>.png, cut at `height` (else where the content ends). */
  screenshot(name: string, options?: { readme?: boolean; height?: number }): Promise<void>;
  signIn(): Promise<void>;
  /** A link of the main navigation (Endpoints, Deliveries, …). */
  nav(name: string): Locator;
  close(): Promise<void>;
}

export interface RigOptions {
  /** How the receiver answers (else 200). */
  receiver?: Behaviour;
}

/** A real Herald serving the built back office, headless Chromium pointed at it, and a receiver. */
async function startRig(options: RigOptions = {}): Promise<BrowserRig> {
  ensureBuilt();
  const herald = await startHerald({ worker: { pollIntervalMs: 20 } });
  const receiver = await startReceiver(options.receiver);
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
    ],
  });
  const context = await browser.newContext({
    baseURL: herald.url,
    viewport: { width: 1360, height: 860 },
    timezoneId: 'Europe/Paris',
    locale: 'en-GB',
  });
  context.setDefaultTimeout(10_000);
  const page = await context.newPage();
  const problems: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error') problems.push(`console: ${message.text()}`);
  });
  page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
  mkdirSync(SCREENSHOT_DIR, { recursive: true });

  return {
    herald,
    receiver,
    browser,
    context,
    page,
    problems,
    assertNoProblems(expected) {
      const left = problems.filter((problem) => !expected?.test(problem));
      problems.length = 0;
      assert.deepEqual(left, [], 'console errors or page errors in the browser');
    },
    async screenshot(name, options = {}) {
      await page.screenshot({ path: `${SCREENSHOT_DIR}/${name}.png`, fullPage: true });
      if (options.readme && process.env.UPDATE_README_SCREENSHOTS === '1') {
        // A short viewport and a full-page shot: the image ends where the content does.
        const size = page.viewportSize();
        await page.setViewportSize({ width: 1280, height: options.height ?? 420 });
        mkdirSync(README_SHOT_DIR, { recursive: true });
        await page.screenshot({
          path: `${README_SHOT_DIR}/${name}.png`,
          fullPage: options.height === undefined,
        });
        if (size) await page.setViewportSize(size);
      }
    },
    async signIn() {
      await page.goto('/');
      await page.getByLabel('Admin token or organization API key').fill(ADMIN_TOKEN);
      await page.getByRole('button', { name: 'Sign in' }).click();
      await page.getByRole('heading', { name: 'Organizations', level: 1 }).waitFor();
    },
    nav: (name) => page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name }),
    async close() {
      await browser.close();
      await herald.close();
      await receiver.close();
    },
  };
}

/**
 * The rig of a test file's suite: started before its tests, closed after
 * them, and after each test no console or page error may be left (a test
 * that provokes some clears them with `assertNoProblems(expected)`). The
 * object returned is filled in by the before hook: use it inside tests and hooks.
 */
export function useRig(options: RigOptions = {}): BrowserRig {
  const rig = {} as BrowserRig;
  before(async () => {
    Object.assign(rig, await startRig(options));
  });
  afterEach(() => rig.assertNoProblems());
  after(() => rig.close?.());
  return rig;
}
