import { createServer, type IncomingHttpHeaders, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** A receiver that holds every request until the test releases it (no timing assumptions). */
export interface GatedReceiver {
  url: string;
  requests: { path: string; headers: IncomingHttpHeaders; body: string }[];
  held: ServerResponse[];
  /** Resolves once `count` requests have arrived. */
  arrived(count: number): Promise<void>;
  /** Answers every held request (and later ones at once) with `status`. */
  release(status?: number): void;
  close(): Promise<void>;
}

export async function startGated(): Promise<GatedReceiver> {
  let open: number | null = null;
  const waiters: { count: number; resolve: () => void }[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      r.requests.push({
        path: req.url ?? '',
        headers: req.headers,
        body: Buffer.concat(chunks).toString(),
      });
      for (const w of waiters.filter((w) => r.requests.length >= w.count)) {
        waiters.splice(waiters.indexOf(w), 1);
        w.resolve();
      }
      if (open !== null) res.writeHead(open).end('ok');
      else r.held.push(res);
    });
  });
  const r: GatedReceiver = {
    url: '',
    requests: [],
    held: [],
    arrived: (count) =>
      r.requests.length >= count
        ? Promise.resolve()
        : new Promise((resolve) => waiters.push({ count, resolve })),
    release(status = 200) {
      open = status;
      for (const res of r.held.splice(0)) if (!res.destroyed) res.writeHead(status).end('ok');
    },
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  r.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return r;
}
