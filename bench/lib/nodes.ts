import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { NODE_FLAGS } from '../../packages/server/src/cli/node-flags.ts';
import { type Child, spawnChild } from './child.ts';

const here = import.meta.dirname;

export interface GroupStats {
  count: number;
  firstAt: number;
  lastAt: number;
}
export interface ReceiverStats {
  at: number;
  total: number;
  groups: Record<string, GroupStats>;
}

export interface ReceiverNode {
  /** Its process, for CPU accounting (bench/micro/proc-cpu.ts). */
  pid: number;
  url: string;
  /** A second origin of the same receiver, for misbehaving endpoints. */
  auxUrl: string;
  reset(): Promise<unknown>;
  stats(): Promise<ReceiverStats>;
  latencies(): Promise<number[]>;
  stop(): Promise<void>;
}

export async function startReceiver(): Promise<ReceiverNode> {
  const child = await spawnChild(join(here, 'receiver-process.ts'));
  const [url, auxUrl] = await child.call<string[]>('urls');
  return {
    pid: child.pid,
    url: url!,
    auxUrl: auxUrl!,
    reset: () => child.call('reset'),
    stats: () => child.call<ReceiverStats>('stats'),
    latencies: () => child.call<number[]>('latencies'),
    stop: () => child.stop(),
  };
}

export interface HeraldNode {
  child: Child;
  url: string;
  token: string;
  setup(
    endpoints: Record<string, unknown>[],
    orgId?: string,
  ): Promise<{ orgId: string; endpointIds: string[] }>;
  seed(orgId: string, count: number): Promise<number>;
  disable(orgId: string, endpointIds: string[]): Promise<unknown>;
  start(): Promise<unknown>;
  /** Stops the worker (in-flight requests finish); start() goes on again. */
  pause(): Promise<unknown>;
  rss(): Promise<number>;
  stop(): Promise<void>;
}

export interface HeraldNodeOptions {
  /** Defaults to a fresh SQLite file in a temp directory. */
  databaseUrl?: string;
  /** Write a V8 CPU profile of this node into the directory. */
  profileDir?: string;
  worker?: Record<string, number>;
  /** A module the node imports first (`--import`): counters while investigating. */
  preload?: string;
}

export async function startHeraldNode(options: HeraldNodeOptions = {}): Promise<HeraldNode> {
  const dir = options.databaseUrl ? undefined : mkdtempSync(join(tmpdir(), 'herald-bench-'));
  if (options.profileDir) mkdirSync(options.profileDir, { recursive: true });
  const child = await spawnChild(join(here, 'herald-process.ts'), {
    env: options.profileDir ? { HERALD_BENCH_PROFILE_DIR: options.profileDir } : {},
    // The V8 flags `herald serve` gives itself: the bench measures Herald as it runs.
    execArgv: options.preload ? [...NODE_FLAGS, '--import', options.preload] : NODE_FLAGS,
  });
  try {
    const opened = await child.call<{ url: string; token: string }>('open', {
      databaseUrl: options.databaseUrl ?? `sqlite:${join(dir!, 'herald.db')}`,
      worker: options.worker,
    });
    return {
      child,
      ...opened,
      setup: (endpoints, orgId) => child.call('setup', { endpoints, orgId }),
      seed: (orgId, count) => child.call('seed', { orgId, count }),
      disable: (orgId, endpointIds) => child.call('disable', { orgId, endpointIds }),
      start: () => child.call('start'),
      pause: () => child.call('pause'),
      rss: () => child.call('rss'),
      async stop() {
        await child.stop();
        if (dir) rmSync(dir, { recursive: true, force: true });
      },
    };
  } catch (error) {
    await child.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
    throw error;
  }
}

export interface PeerNode {
  seed(count: number): Promise<number>;
  start(url: string, concurrency: number): Promise<unknown>;
  pause(): Promise<unknown>;
  resume(): Promise<unknown>;
  stop(): Promise<void>;
}

export async function startPeer(): Promise<PeerNode> {
  const child = await spawnChild(join(here, 'peer-process.ts'));
  return {
    seed: (count) => child.call('seed', { count }),
    start: (url, concurrency) => child.call('start', { url, concurrency }),
    pause: () => child.call('pause'),
    resume: () => child.call('resume'),
    stop: () => child.stop(),
  };
}

/** Whether something answers on the Redis port: the peer needs it, nothing else does. */
export function redisReachable(host = '127.0.0.1', port = 6379): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host, port });
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(1000, () => done(false));
    socket.once('connect', () => {
      socket.write('PING\r\n');
      socket.once('data', (data) => done(data.toString().startsWith('+PONG')));
    });
    socket.once('error', () => done(false));
  });
}
