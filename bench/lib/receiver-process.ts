import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { serveParent } from './child.ts';

/**
 * The receiver every bench target posts to, in its own process. The first
 * path segment names a group; `/slow/…` never answers in time (a receiver
 * that times out), `/fail/…` answers 500, everything else 200 with a tiny body.
 * A body carrying `"sentAt":<ms>` yields one latency sample.
 */
interface Group {
  count: number;
  firstAt: number;
  lastAt: number;
}

const now = () => performance.timeOrigin + performance.now();
let groups = new Map<string, Group>();
let total = 0;
let latencies: number[] = [];
const SENT_AT = '"sentAt":';

const handle = (req: IncomingMessage, res: ServerResponse) => {
  const chunks: Buffer[] = [];
  req.on('data', (chunk: Buffer) => chunks.push(chunk));
  req.on('end', () => {
    const at = now();
    const url = req.url ?? '/';
    const slash = url.indexOf('/', 1);
    const name = slash === -1 ? url.slice(1) : url.slice(1, slash);
    if (name === 'slow') {
      // Holds the request until the sender gives up and closes the socket.
      const timer = setTimeout(() => res.end('late'), 120_000);
      res.on('close', () => clearTimeout(timer));
      return;
    }
    if (name === 'fail') {
      res.writeHead(500, { 'content-type': 'text/plain' }).end('no');
      return;
    }
    total++;
    let group = groups.get(name);
    if (!group) {
      group = { count: 0, firstAt: at, lastAt: at };
      groups.set(name, group);
    }
    group.count++;
    group.lastAt = at;
    const body = chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks);
    const start = body.indexOf(SENT_AT);
    if (start !== -1) {
      const sentAt = Number.parseFloat(body.toString('latin1', start + SENT_AT.length, start + 40));
      if (Number.isFinite(sentAt)) latencies.push(at - sentAt);
    }
    res.writeHead(200, { 'content-type': 'text/plain', 'content-length': '2' }).end('ok');
  });
};

// Two ports, two origins: misbehaving endpoints sit on their own origin (as a
// customer's broken receiver would), so they cannot hold the healthy pool's sockets.
const servers = [0, 1].map(() => createServer({ keepAliveTimeout: 60_000 }, handle));
const listen = (server: Server) =>
  new Promise<string>((resolve) =>
    server.listen(0, '127.0.0.1', () =>
      resolve(`http://127.0.0.1:${(server.address() as AddressInfo).port}`),
    ),
  );
const urls = Promise.all(servers.map(listen));

serveParent(
  {
    urls: () => urls,
    reset: () => {
      groups = new Map();
      total = 0;
      latencies = [];
      return true;
    },
    stats: () => ({ at: now(), total, groups: Object.fromEntries(groups) }),
    latencies: () => latencies,
  },
  async () => {
    for (const server of servers) {
      server.closeAllConnections();
      server.close();
    }
  },
);
