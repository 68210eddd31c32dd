import { type ChildProcess, spawn } from 'node:child_process';
import { after } from 'node:test';
import { fileURLToPath } from 'node:url';
import { ADMIN_TOKEN } from './herald.ts';

const MAIN = fileURLToPath(new URL('../../src/cli/main.ts', import.meta.url));

// Whatever a failing test left running is killed when its file ends.
const children = new Set<ChildProcess>();
after(() => {
  for (const child of children)
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
});

export interface HeraldProcess {
  child: ChildProcess;
  url: string;
  /** Everything the process wrote, stdout and stderr. */
  output(): string;
  /** Resolves with the exit code (or signal name) once the process ends. */
  exited: Promise<number | string>;
  api<T = any>(method: string, path: string, body?: unknown): Promise<{ status: number; body: T }>;
}

/** Starts `herald serve` as a real process (the same Node that runs the tests) and waits until it listens. */
export async function spawnHerald(
  env: Record<string, string>,
  args: string[] = [],
): Promise<HeraldProcess> {
  const child = spawn(process.execPath, [MAIN, 'serve', ...args], {
    env: {
      ...process.env,
      HERALD_PORT: '0',
      HERALD_ADMIN_TOKEN: ADMIN_TOKEN,
      HERALD_ALLOW_PRIVATE_NETWORKS: 'true',
      HERALD_LOG_LEVEL: 'info',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.add(child);
  let output = '';
  child.stdout!.on('data', (chunk) => {
    output += chunk;
  });
  child.stderr!.on('data', (chunk) => {
    output += chunk;
  });
  const exited = new Promise<number | string>((resolve) =>
    child.on('exit', (code, signal) => resolve(code ?? signal ?? -1)),
  );
  // Generous: on a loaded 2-core machine loading the TypeScript sources alone can take many seconds.
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => {
      // Never leave an orphan behind: its pipes would keep the test process alive.
      child.kill('SIGKILL');
      reject(new Error(`herald did not start:\n${output}`));
    }, 90_000);
    const check = () => {
      const match = /"address":"(http:\/\/[^"]+)"/.exec(output);
      if (match) {
        clearTimeout(timer);
        resolve(match[1]);
      }
    };
    child.stdout!.on('data', check);
    exited.then(() => reject(new Error(`herald exited early:\n${output}`)));
  });
  return {
    child,
    url,
    output: () => output,
    exited,
    async api(method, path, body) {
      const response = await fetch(url + path, {
        method,
        headers: {
          authorization: `Bearer ${ADMIN_TOKEN}`,
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      const text = await response.text();
      return { status: response.status, body: text ? JSON.parse(text) : undefined };
    },
  };
}
