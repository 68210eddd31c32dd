import { type ChildProcess, fork } from 'node:child_process';

/**
 * A bench participant in its own process (receiver, Herald, the BullMQ peer),
 * so no two of them share an event loop. Calls go over the IPC channel.
 */
export interface Child {
  pid: number;
  call<T = unknown>(command: string, args?: unknown): Promise<T>;
  stop(): Promise<void>;
}

interface Reply {
  id: number;
  result?: unknown;
  error?: string;
}

export async function spawnChild(
  file: string,
  options: { env?: Record<string, string>; execArgv?: string[] } = {},
): Promise<Child> {
  const child: ChildProcess = fork(file, [], {
    env: { ...process.env, ...options.env },
    execArgv: ['--disable-warning=ExperimentalWarning', ...(options.execArgv ?? [])],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  let nextId = 1;
  const waiting = new Map<number, { resolve(v: unknown): void; reject(e: Error): void }>();
  child.on('message', (message: Reply) => {
    const waiter = waiting.get(message.id);
    if (!waiter) return;
    waiting.delete(message.id);
    if (message.error) waiter.reject(new Error(message.error));
    else waiter.resolve(message.result);
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  void exited.then(() => {
    for (const waiter of waiting.values()) waiter.reject(new Error(`${file} exited`));
    waiting.clear();
  });
  const handle: Child = {
    pid: child.pid!,
    call<T>(command: string, args?: unknown) {
      return new Promise<T>((resolve, reject) => {
        const id = nextId++;
        waiting.set(id, { resolve: resolve as (v: unknown) => void, reject });
        child.send({ id, command, args });
      });
    },
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      // A graceful stop lets --cpu-prof write its profile; the kill is the backstop.
      handle.call('stop').catch(() => {});
      const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
      await exited;
      clearTimeout(timer);
    },
  };
  await handle.call('ready');
  return handle;
}

type Handler = (args: any) => unknown;

/** The child side: answers the parent's calls; `stop` runs `onStop` then exits. */
export function serveParent(handlers: Record<string, Handler>, onStop?: () => Promise<void>): void {
  process.on('message', async (message: { id: number; command: string; args: unknown }) => {
    const reply = (body: Omit<Reply, 'id'>) => process.send!({ id: message.id, ...body });
    if (message.command === 'ready') return reply({ result: true });
    if (message.command === 'stop') {
      await onStop?.().catch(() => {});
      reply({ result: true });
      process.disconnect();
      setTimeout(() => process.exit(0), 50);
      return;
    }
    const handler = handlers[message.command];
    if (!handler) return reply({ error: `unknown command ${message.command}` });
    try {
      reply({ result: await handler(message.args) });
    } catch (error) {
      reply({ error: error instanceof Error ? (error.stack ?? error.message) : String(error) });
    }
  });
  // The parent going away (Ctrl-C, a crash) must not leave servers behind.
  process.on('disconnect', () => setTimeout(() => process.exit(0), 100));
}
