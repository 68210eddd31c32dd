import { Agent } from 'undici';
import type { SendResult } from '../domain/attempt-outcome.ts';
import type { AttemptErrorKind } from '../domain/types.ts';
import { Deadlines } from './deadlines.ts';
import { post } from './post.ts';
import type { OutboundRequest } from './request.ts';
import type { DestinationGuard } from './ssrf-guard.ts';

/** How much of a receiver's answer an attempt keeps. */
export const RESPONSE_BODY_LIMIT = 4096;

/** Sockets one origin may have open when the sender is not told (one-off sends, tests). */
const DEFAULT_CONNECTIONS_PER_ORIGIN = 64;

export interface Sender {
  send(request: OutboundRequest, timeoutMs: number, startedAt: number): Promise<SendResult>;
  /** Ends every connection at once, requests in flight included. */
  close(): Promise<void>;
}

export interface HttpSenderOptions {
  guard?: DestinationGuard;
  /**
   * Sockets one origin may have open; they open only when used. The worker
   * gives its own limit of requests in flight, so a request never waits for a
   * socket: endpoints on one origin (several endpoints of one receiver host)
   * would otherwise queue behind each other, their queued attempts running
   * out their timeout (which covers the wait) without ever being sent. Each
   * endpoint's own maxConcurrency is the claim's business.
   */
  connectionsPerOrigin?: number;
}

/**
 * Sends over undici keep-alive pools, one per origin. Never throws: every
 * failure becomes a SendResult with an error kind.
 */
export function createHttpSender({
  guard,
  connectionsPerOrigin = DEFAULT_CONNECTIONS_PER_ORIGIN,
}: HttpSenderOptions = {}): Sender {
  const deadlines = new Deadlines();
  // The Agent drops an origin's pool once its last socket has closed.
  const agent = new Agent({
    connections: connectionsPerOrigin,
    keepAliveTimeout: 30_000,
    // undici follows no redirect unless told to: a 3xx stays a failed attempt.
    // The guard's lookup resolves, checks and pins each new connection to a checked address.
    ...(guard ? { connect: { lookup: guard.lookup } } : {}),
  });

  return {
    async send(request, timeoutMs, startedAt) {
      const started = performance.now();
      const elapsed = () => Math.round(performance.now() - started);
      // The endpoint's timeout covers the whole attempt, waiting for a pooled
      // connection and reading the answer included; one shared timer enforces
      // it (see Deadlines), and its abort also ends a body still arriving (post).
      const deadline = deadlines.start(timeoutMs);
      const { signal } = deadline;
      try {
        const url = new URL(request.url);
        guard?.checkUrlSync(url);
        const answer = await post(agent, {
          origin: url.origin,
          path: url.pathname + url.search,
          headers: request.headers,
          body: request.body,
          signal,
          timeoutMs,
          bodyLimit: RESPONSE_BODY_LIMIT,
        });
        const { statusCode, headers } = answer;
        const retryAfter = headers['retry-after'];
        const redirect = statusCode >= 300 && statusCode < 400;
        const location = headers.location;
        return {
          startedAt,
          durationMs: elapsed(),
          statusCode,
          error:
            statusCode >= 200 && statusCode < 300 ? null : redirect ? 'redirect' : 'http_status',
          errorMessage: redirect
            ? `redirect${location ? ` to ${String(location).slice(0, 512)}` : ''} not followed`
            : null,
          responseBody: answer.body,
          retryAfter: Array.isArray(retryAfter) ? retryAfter[0] : retryAfter,
        };
      } catch (error) {
        const kind = signal.aborted ? 'timeout' : classify(error);
        return {
          startedAt,
          durationMs: elapsed(),
          statusCode: null,
          error: kind,
          errorMessage: kind === 'timeout' ? `no response within ${timeoutMs} ms` : describe(error),
          responseBody: null,
        };
      } finally {
        deadline.done();
      }
    },
    // Closed after the worker's grace: a request still waiting for its answer
    // then is abandoned to its lease, not awaited for up to its timeout.
    close: () => agent.destroy(),
  };
}

function errorCode(error: unknown): string {
  const { code, cause } = (error ?? {}) as { code?: string; cause?: unknown };
  return code ?? (cause ? errorCode(cause) : '');
}

export function classify(error: unknown): AttemptErrorKind {
  const code = errorCode(error);
  if (code === 'WHK_ERR_DESTINATION_BLOCKED') return 'destination_blocked';
  if (code === 'ECONNREFUSED') return 'connection_refused';
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN' || code === 'EAI_NONAME') return 'dns';
  if (
    code === 'ECONNRESET' ||
    code === 'EPIPE' ||
    code === 'UND_ERR_SOCKET' ||
    code === 'UND_ERR_CLOSED'
  )
    return 'connection_reset';
  if (code.includes('TIMEOUT') || code === 'ETIMEDOUT') return 'timeout';
  if (/^(ERR_TLS|ERR_SSL|CERT_|UNABLE_TO_|DEPTH_ZERO|SELF_SIGNED|ERR_OSSL)/.test(code))
    return 'tls';
  if (code === 'ERR_INVALID_URL') return 'internal';
  return 'network';
}

function describe(error: unknown): string {
  if (error instanceof Error) {
    const code = errorCode(error);
    return code ? `${code}: ${error.message}` : error.message;
  }
  return String(error);
}
