import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { readHeader, verify, WebhookVerificationError } from '@herald/sdk';
import { PAGE_HTML } from './page.ts';

/** How the inspector answers captured requests. */
export type StatusMode = { kind: 'fixed'; status: number } | { kind: 'flaky' };

export interface SignatureCheck {
  /** `valid`, `invalid` (with the code and message), or `unchecked` when no secret was given. */
  state: 'valid' | 'invalid' | 'unchecked';
  code?: string;
  message?: string;
}

/** One request as the inspector saw it: what the terminal prints and the page shows. */
export interface Captured {
  number: number;
  receivedAt: string;
  method: string;
  path: string;
  headers: Record<string, string>;
  /** The body as text (UTF-8), cut at MAX_BODY_SHOWN. */
  body: string;
  /** The parsed body when it is JSON. */
  json?: unknown;
  webhookId: string | null;
  eventType: string | null;
  attempt: number | null;
  signature: SignatureCheck;
  /** The number of the first request with the same webhook-id, when this one repeats it. */
  duplicateOf: number | null;
  status: number;
}

export interface InspectorOptions {
  secrets: string[];
  status: StatusMode;
  toleranceSeconds?: number;
  /** How many requests the page keeps; older ones drop off. */
  keep?: number;
  onRequest(captured: Captured): void;
}

export interface Inspector {
  server: Server;
  url: string;
  captured: Captured[];
  close(): Promise<void>;
}

const MAX_BODY_BYTES = 10 * 1024 * 1024;
const MAX_BODY_SHOWN = 256 * 1024;
/** Webhook ids remembered to flag duplicates. */
const FIRST_SEEN_LIMIT = 100_000;
const STREAM_PATH = '/_herald/stream';
const LIST_PATH = '/_herald/requests';

function checkSignature(
  body: Buffer,
  req: IncomingMessage,
  secrets: string[],
  tolerance?: number,
): SignatureCheck {
  if (secrets.length === 0) return { state: 'unchecked' };
  try {
    verify(body, req.headers, secrets, { toleranceSeconds: tolerance });
    return { state: 'valid' };
  } catch (error) {
    if (error instanceof WebhookVerificationError) {
      // A good signature over a body that is not JSON is still a good signature.
      if (error.code === 'invalid_payload') return { state: 'valid' };
      return { state: 'invalid', code: error.code, message: error.message };
    }
    throw error;
  }
}

function flatHeaders(req: IncomingMessage): Record<string, string> {
  const headers: Record<string, string> = {};
  for (let i = 0; i < req.rawHeaders.length; i += 2) {
    const name = req.rawHeaders[i].toLowerCase();
    headers[name] =
      name in headers ? `${headers[name]}, ${req.rawHeaders[i + 1]}` : req.rawHeaders[i + 1];
  }
  return headers;
}

/**
 * A local receiver that records every request, checks its signature, spots
 * repeated webhook ids, answers as told, and streams what it saw to a live
 * page over server-sent events.
 */
export async function startInspector(
  options: InspectorOptions,
  listen: { port: number; host: string },
): Promise<Inspector> {
  const captured: Captured[] = [];
  const keep = options.keep ?? 500;
  const firstSeen = new Map<string, number>();
  const streams = new Set<ServerResponse>();
  let count = 0;

  function answerFor(webhookId: string | null, duplicateOf: number | null): number {
    if (options.status.kind === 'fixed') return options.status.status;
    // flaky: every webhook fails once and succeeds on its retry, so each shows one retry.
    return webhookId !== null && duplicateOf === null ? 503 : 200;
  }

  async function capture(req: IncomingMessage, res: ServerResponse) {
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const chunk of req) {
      size += (chunk as Buffer).length;
      if (size > MAX_BODY_BYTES) {
        // The rest of the body is not read: the connection cannot carry another request.
        res.writeHead(413, { connection: 'close' }).end();
        return;
      }
      chunks.push(chunk as Buffer);
    }
    const raw = Buffer.concat(chunks);
    const text = raw.toString('utf8');
    let json: unknown;
    try {
      // Kept parsed only when it is shown whole: 500 bodies of 10 MiB would not fit.
      json = text.length > 0 && text.length <= MAX_BODY_SHOWN ? JSON.parse(text) : undefined;
    } catch {
      json = undefined;
    }
    const webhookId = readHeader(req.headers, 'webhook-id') ?? null;
    const duplicateOf = webhookId === null ? null : (firstSeen.get(webhookId) ?? null);
    const number = ++count;
    if (webhookId !== null && duplicateOf === null) {
      firstSeen.set(webhookId, number);
      // Oldest first out: a duplicate of a webhook that old is not worth the memory.
      if (firstSeen.size > FIRST_SEEN_LIMIT) firstSeen.delete(firstSeen.keys().next().value!);
    }
    const attemptHeader = readHeader(req.headers, 'webhook-attempt');
    const entry: Captured = {
      number,
      receivedAt: new Date().toISOString(),
      method: req.method ?? '',
      path: req.url ?? '',
      headers: flatHeaders(req),
      body: text.length > MAX_BODY_SHOWN ? `${text.slice(0, MAX_BODY_SHOWN)}…` : text,
      ...(json === undefined ? {} : { json }),
      webhookId,
      eventType: readHeader(req.headers, 'webhook-event-type') ?? null,
      attempt: attemptHeader && /^\d+$/.test(attemptHeader) ? Number(attemptHeader) : null,
      signature: checkSignature(raw, req, options.secrets, options.toleranceSeconds),
      duplicateOf,
      status: answerFor(webhookId, duplicateOf),
    };
    captured.push(entry);
    if (captured.length > keep) captured.shift();
    res.writeHead(entry.status, { 'content-type': 'application/json' });
    res.end(
      JSON.stringify(
        entry.status < 300
          ? { received: true }
          : { error: 'herald listen answered as told by --status' },
      ),
    );
    options.onRequest(entry);
    const message = `event: request\ndata: ${JSON.stringify(entry)}\n\n`;
    for (const stream of streams) stream.write(message);
  }

  function stream(req: IncomingMessage, res: ServerResponse) {
    res.writeHead(200, {
      'content-type': 'text/event-stream',
      'cache-control': 'no-cache',
      connection: 'keep-alive',
    });
    // Whoever opens the page late still sees what arrived before.
    for (const entry of captured) res.write(`event: request\ndata: ${JSON.stringify(entry)}\n\n`);
    streams.add(res);
    req.on('close', () => streams.delete(res));
  }

  const server = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0];
    if (req.method === 'GET' && path === '/') {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
      res.end(PAGE_HTML);
    } else if (req.method === 'GET' && path === STREAM_PATH) {
      stream(req, res);
    } else if (req.method === 'GET' && path === LIST_PATH) {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify(captured));
    } else if (req.method === 'GET' && path === '/favicon.ico') {
      res.writeHead(204).end();
    } else {
      capture(req, res).catch((error) => {
        if (!res.headersSent) res.writeHead(500).end(String(error));
      });
    }
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(listen.port, listen.host, resolve);
  });
  const { port } = server.address() as AddressInfo;
  const host = listen.host.includes(':') ? `[${listen.host}]` : listen.host;
  return {
    server,
    url: `http://${host}:${port}`,
    captured,
    close: () =>
      new Promise<void>((resolve) => {
        for (const res of streams) res.end();
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
