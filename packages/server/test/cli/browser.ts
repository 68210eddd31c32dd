import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const CHROMIUM = '/usr/bin/chromium';

export interface Page {
  /** Evaluates `expression` in the page and returns its (JSON) value. */
  evaluate<T>(expression: string): Promise<T>;
  close(): Promise<void>;
}

/**
 * Opens `url` in headless Debian Chromium and drives it over the DevTools
 * protocol (Node's own WebSocket): enough to read what a person would see on
 * a page that keeps a server-sent event stream open.
 */
export async function openPage(url: string): Promise<Page> {
  const profile = mkdtempSync(join(tmpdir(), 'herald-chromium-'));
  const browser = spawn(
    CHROMIUM,
    [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--no-first-run',
      '--remote-debugging-port=0',
      `--user-data-dir=${profile}`,
      'about:blank',
    ],
    // Its own process group, so closing kills the helpers (renderer, zygote) with it.
    { stdio: ['ignore', 'ignore', 'pipe'], detached: true },
  );
  const exited = new Promise<void>((resolve) => browser.on('exit', () => resolve()));
  const close = async () => {
    process.kill(-browser.pid!, 'SIGKILL');
    await exited;
    // A helper may still be flushing into the profile for a moment after the kill.
    rmSync(profile, { recursive: true, force: true, maxRetries: 10, retryDelay: 100 });
  };
  try {
    const endpoint = await new Promise<string>((resolve, reject) => {
      let stderr = '';
      const timer = setTimeout(
        () => reject(new Error(`chromium did not start:\n${stderr}`)),
        20_000,
      );
      browser.stderr!.on('data', (chunk) => {
        stderr += chunk;
        const match = /DevTools listening on ws:\/\/([^/]+)\//.exec(stderr);
        if (match) {
          clearTimeout(timer);
          resolve(match[1]);
        }
      });
    });
    const opened = await fetch(`http://${endpoint}/json/new?${url}`, { method: 'PUT' });
    const target = (await opened.json()) as { webSocketDebuggerUrl: string };
    const socket = new WebSocket(target.webSocketDebuggerUrl);
    await new Promise((resolve, reject) => {
      socket.onopen = resolve;
      socket.onerror = reject;
    });
    let nextId = 0;
    const pending = new Map<number, (message: any) => void>();
    socket.onmessage = (event) => {
      const message = JSON.parse(String(event.data));
      pending.get(message.id)?.(message);
      pending.delete(message.id);
    };
    const call = (method: string, params: object) =>
      new Promise<any>((resolve) => {
        const id = ++nextId;
        pending.set(id, resolve);
        socket.send(JSON.stringify({ id, method, params }));
      });
    return {
      async evaluate<T>(expression: string) {
        const reply = await call('Runtime.evaluate', { expression, returnByValue: true });
        if (reply.error || reply.result.exceptionDetails) {
          throw new Error(JSON.stringify(reply.error ?? reply.result.exceptionDetails));
        }
        return reply.result.result.value as T;
      },
      async close() {
        socket.close();
        await close();
      },
    };
  } catch (error) {
    await close();
    throw error;
  }
}
