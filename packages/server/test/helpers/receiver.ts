import { createServer, type IncomingHttpHeaders, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after } from 'node:test';

export interface ReceivedRequest {
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
  body: string;
  receivedAt: number;
}

export interface Reply {
  status?: number;
  body?: string;
  headers?: Record<string, string>;
  /** Wait this long before answering (a slow receiver). */
  delayMs?: number;
}

export type Behaviour = (request: ReceivedRequest, index: number) => Reply;

/** A real HTTP receiver on 127.0.0.1 that records every request and can misbehave on cue. */
export interface Receiver {
  url: string;
  requests: ReceivedRequest[];
  /** Highest number of requests it was handling at once. */
  maxConcurrent: number;
  behave(behaviour: Behaviour): void;
  /** Resolves once `count` requests have arrived (or rejects after `timeoutMs`). */
  waitFor(count: number, timeoutMs?: number): Promise<ReceivedRequest[]>;
  close(): Promise<void>;
}

// Every receiver a test file opened is closed when the file ends.
const open = new Set<Receiver>();
after(() => Promise.all([...open].map((receiver) => receiver.close())));

/** Starts a receiver; it closes itself when the test file ends (or earlier with `close()`). */
export async function startReceiver(
  behaviour: Behaviour = () => ({ status: 200 }),
): Promise<Receiver> {
  let current = behaviour;
  let concurrent = 0;
  const timers = new Set<NodeJS.Timeout>();
  const waiters: { count: number; resolve: () => void }[] = [];
  const receiver = {
    url: '',
    requests: [] as ReceivedRequest[],
    maxConcurrent: 0,
    behave(next: Behaviour) {
      current = next;
    },
    waitFor(count: number, timeoutMs = 15_000) {
      if (receiver.requests.length >= count) return Promise.resolve(receiver.requests);
      return new Promise<ReceivedRequest[]>((resolve, reject) => {
        const timer = setTimeout(
          () =>
            reject(
              new Error(
                `receiver got ${receiver.requests.length} of ${count} requests in ${timeoutMs} ms`,
              ),
            ),
          timeoutMs,
        );
        waiters.push({
          count,
          resolve: () => {
            clearTimeout(timer);
            resolve(receiver.requests);
          },
        });
      });
    },
    close: () =>
      new Promise<void>((resolve) => {
        if (!open.delete(receiver)) return resolve();
        for (const timer of timers) clearTimeout(timer);
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };

  const server = createServer((req, res) => {
    concurrent++;
    receiver.maxConcurrent = Math.max(receiver.maxConcurrent, concurrent);
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const request: ReceivedRequest = {
        method: req.method ?? '',
        path: req.url ?? '',
        headers: req.headers,
        body: Buffer.concat(chunks).toString('utf8'),
        receivedAt: Date.now(),
      };
      const index = receiver.requests.push(request) - 1;
      for (const waiter of waiters.filter((w) => receiver.requests.length >= w.count)) {
        waiters.splice(waiters.indexOf(waiter), 1);
        waiter.resolve();
      }
      const reply = current(request, index);
      const answer = () => {
        timers.delete(timer);
        concurrent--;
        if (res.destroyed) return;
        res.writeHead(reply.status ?? 200, { 'content-type': 'text/plain', ...reply.headers });
        res.end(reply.body ?? 'ok');
      };
      const timer = setTimeout(answer, reply.delayMs ?? 0);
      timers.add(timer);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  receiver.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  open.add(receiver);
  return receiver;
}

/** A receiver that answers nothing until `count` requests are open at once. */
export interface Gathering {
  origin: string;
  /** Requests that arrived, the held ones included. */
  received: number;
  /** Highest number of requests open at once. */
  maxOpen: number;
  close(): Promise<void>;
}

/**
 * Holds every request until `count` are open at once, then answers them all
 * (200): a client that cannot put `count` requests on the wire together never
 * gets its answers. Requests after those are answered at once.
 */
export async function startGathering(count: number): Promise<Gathering> {
  const held: ServerResponse[] = [];
  let open = 0;
  const server = createServer((request, response) => {
    request.resume();
    gathering.received++;
    gathering.maxOpen = Math.max(gathering.maxOpen, ++open);
    response.on('close', () => open--);
    if (gathering.received > count) return void response.end('ok');
    held.push(response);
    if (held.length === count) for (const waiting of held) waiting.end('ok');
  });
  const gathering: Gathering = {
    origin: '',
    received: 0,
    maxOpen: 0,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  gathering.origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return gathering;
}
